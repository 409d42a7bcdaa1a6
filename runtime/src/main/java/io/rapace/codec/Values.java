package io.rapace.codec;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Value semantics for message components that hold arrays inside {@code Optional}, {@code List} or {@code Map}
 * (an {@code option<bytes>}, a {@code list<[u8; 4]>}): Java compares such arrays by identity, so generated records
 * call these methods, which compare, hash and print every array they reach by content, at any depth.
 */
public final class Values {
    private Values() {
    }

    /** Whether {@code a} and {@code b} are equal, arrays compared by content wherever they are nested. */
    public static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Optional<?> x && b instanceof Optional<?> y) {
            return x.isPresent() == y.isPresent() && (x.isEmpty() || deepEquals(x.get(), y.get()));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!deepEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
            return objectArraysEqual(x, y);
        }
        if (a.getClass().isArray() && b.getClass().isArray()) {
            return Arrays.deepEquals(new Object[] {a}, new Object[] {b}); // primitive arrays, by content
        }
        return a.equals(b);
    }

    private static boolean objectArraysEqual(Object[] x, Object[] y) {
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!deepEquals(x[i], y[i])) {
                return false;
            }
        }
        return true;
    }

    /** A hash code consistent with {@link #deepEquals}. */
    public static int deepHashCode(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Optional<?> o) {
            return o.isPresent() ? 31 + deepHashCode(o.get()) : 0;
        }
        if (value instanceof List<?> list) {
            int h = 1;
            for (Object item : list) {
                h = 31 * h + deepHashCode(item);
            }
            return h;
        }
        if (value instanceof Map<?, ?> map) {
            int h = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                h += Objects.hashCode(e.getKey()) ^ deepHashCode(e.getValue());
            }
            return h;
        }
        if (value instanceof Object[] array) {
            int h = 1;
            for (Object item : array) {
                h = 31 * h + deepHashCode(item);
            }
            return h;
        }
        if (value.getClass().isArray()) {
            return Arrays.deepHashCode(new Object[] {value});
        }
        return value.hashCode();
    }

    /** A text like {@code toString}'s, with the content of every array it reaches. */
    public static String deepToString(Object value) {
        if (value instanceof Optional<?> o) {
            return o.isPresent() ? "Optional[" + deepToString(o.get()) + "]" : "Optional.empty";
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(out.length() == 1 ? "" : ", ").append(deepToString(item));
            }
            return out.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(out.length() == 1 ? "" : ", ").append(deepToString(e.getKey())).append('=')
                        .append(deepToString(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (value instanceof Object[] array) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : array) {
                out.append(out.length() == 1 ? "" : ", ").append(deepToString(item));
            }
            return out.append(']').toString();
        }
        if (value != null && value.getClass().isArray()) {
            String text = Arrays.deepToString(new Object[] {value});
            return text.substring(1, text.length() - 1);
        }
        return String.valueOf(value);
    }
}
