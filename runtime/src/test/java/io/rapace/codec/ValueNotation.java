package io.rapace.codec;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Equality, printing and hex helpers for the codec tests. */
final class ValueNotation {
    private static final HexFormat HEX = HexFormat.of();

    private ValueNotation() {
    }

    /** Lowercase hex of {@code bytes}. */
    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** The bytes of a lowercase hex string; anything else (odd length, other characters) is rejected. */
    static byte[] unhex(String hex) {
        if (!hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("hex is not lowercase: " + hex);
        }
        return HEX.parseHex(hex);
    }

    /**
     * Structural equality of decoded values: floats by their raw bits (NaN payloads and -0.0 count), arrays by
     * content, lists and maps element by element in iteration order, enum values by index, name and payload.
     */
    static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Float x && b instanceof Float y) {
            return Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof boolean[] x && b instanceof boolean[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof short[] x && b instanceof short[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof int[] x && b instanceof int[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof long[] x && b instanceof long[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof float[] x && b instanceof float[] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof double[] x && b instanceof double[] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
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
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            while (i.hasNext()) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!deepEquals(e.getKey(), f.getKey()) || !deepEquals(e.getValue(), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Optional<?> x && b instanceof Optional<?> y) {
            return x.isPresent() == y.isPresent() && (x.isEmpty() || deepEquals(x.get(), y.get()));
        }
        if (a instanceof EnumValue x && b instanceof EnumValue y) {
            return x.index() == y.index() && x.variant().equals(y.variant()) && deepEquals(x.payload(), y.payload());
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    /** A readable rendering of a value, with the Java type of scalars, for failure messages. */
    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Float f) {
            return "f32 " + f + " [bits=0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + "]";
        }
        if (v instanceof Double d) {
            return "f64 " + d + " [bits=0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + "]";
        }
        if (v instanceof byte[] x) {
            return "byte[]" + hex(x);
        }
        if (v instanceof boolean[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof short[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof int[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof long[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof float[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof double[] x) {
            return Arrays.toString(x);
        }
        if (v instanceof Object[] x) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < x.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(show(x[i]));
            }
            return sb.append(")").toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            int i = 0;
            for (Object o : l) {
                if (i == 20) {
                    sb.append(", ... (").append(l.size()).append(" elements)");
                    break;
                }
                sb.append(i++ == 0 ? "" : ", ").append(show(o));
            }
            return sb.append("]").toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(i++ == 0 ? "" : ", ").append(show(e.getKey())).append(": ").append(show(e.getValue()));
            }
            return sb.append("}").toString();
        }
        if (v instanceof Optional<?> o) {
            return o.isPresent() ? "Some(" + show(o.get()) + ")" : "None";
        }
        if (v instanceof EnumValue e) {
            return e.variant() + "=" + Integer.toUnsignedString(e.index())
                    + (e.payload() == null ? "" : "(" + show(e.payload()) + ")");
        }
        if (v instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                    sb.append(c);
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
            return sb.append('"').toString();
        }
        if (v instanceof BigInteger || v instanceof Number || v instanceof Boolean) {
            return v.getClass().getSimpleName() + " " + v;
        }
        return String.valueOf(v);
    }

    /**
     * An independent reference LEB128 encoder (unsigned, arbitrary width) to check the codec's varints against,
     * written from the postcard specification rather than taken from the runtime.
     */
    static String leb128(BigInteger unsigned) {
        if (unsigned.signum() < 0) {
            throw new IllegalArgumentException("negative: " + unsigned);
        }
        StringBuilder sb = new StringBuilder();
        BigInteger v = unsigned;
        BigInteger mask = BigInteger.valueOf(0x7F);
        do {
            int low = v.and(mask).intValue();
            v = v.shiftRight(7);
            sb.append(String.format("%02x", v.signum() == 0 ? low : low | 0x80));
        } while (v.signum() != 0);
        return sb.toString();
    }

    /** Zigzag of a signed value as an unsigned BigInteger: 0, -1, 1, -2 ... to 0, 1, 2, 3 ... */
    static BigInteger zigzag(BigInteger signed) {
        return signed.signum() >= 0 ? signed.shiftLeft(1) : signed.negate().shiftLeft(1).subtract(BigInteger.ONE);
    }
}
