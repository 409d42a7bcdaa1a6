package io.rapace.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A type of the conformance files' type grammar. Each type knows its text in that grammar, how to read a value in
 * the files' value notation, how to make a random value, and its {@link Codec}, which is built ONLY from the
 * runtime's building blocks ({@link Codecs} constants and combinators, {@link PostcardWriter} and
 * {@link PostcardReader} methods); structs, tuples and enums are composed here from their field codecs, as
 * generated code composes them.
 *
 * <p>Values: scalars are boxed as the runtime's scalar codecs use them ({@code u32} is an {@code Integer} holding
 * the bits, {@code char} an {@code Integer} code point, {@code u128} a {@code BigInteger}); {@code option} is
 * {@link Optional}, {@code seq} a {@link List}, {@code map} a {@link LinkedHashMap}, a fixed array a primitive
 * array where the runtime has a primitive array codec and {@code Object[]} otherwise, tuples and structs
 * {@code List<Object>} in field order, a newtype struct its inner value, a unit struct {@link Unit#UNIT}, and enums
 * {@link EnumValue}.
 */
abstract class WireType {
    private Codec<Object> codec;

    /** The codec of this type, built once. */
    final Codec<Object> codec() {
        Codec<Object> c = codec;
        if (c == null) {
            c = buildCodec();
            codec = c;
        }
        return c;
    }

    abstract Codec<Object> buildCodec();

    /** Reads one value in the files' notation from {@code in}. */
    abstract Object parseValue(Cursor in);

    /** A random value; {@code depth} bounds how large nested collections get. */
    abstract Object randomValue(Random rnd, int depth);

    /** This type in the files' type grammar. */
    abstract String text();

    /** Whether values of this type can be map keys (ordered in Rust, equal by value in Java). */
    abstract boolean keyable();

    @Override
    public String toString() {
        return text();
    }

    /** Reads a whole value string: nothing may follow the value. */
    final Object parseWholeValue(String notation) {
        Cursor in = new Cursor(notation);
        Object v = parseValue(in);
        in.end();
        return v;
    }

    @SuppressWarnings("unchecked")
    static Codec<Object> erase(Codec<?> codec) {
        return (Codec<Object>) codec;
    }

    static int addSizes(int a, int b) {
        return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
    }

    // ============================================================================================ scalars

    /** {@code bool}, the integers, floats, {@code char}, {@code string}, {@code bytes} and {@code unit}. */
    static final class Scalar extends WireType {
        static final List<String> NAMES = List.of("bool", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32",
                "i64", "i128", "f32", "f64", "char", "string", "bytes", "unit", "usize", "isize");

        private static final BigInteger TWO = BigInteger.valueOf(2);

        final String name;

        Scalar(String name) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown scalar type " + name);
            }
            this.name = name;
        }

        @Override
        Codec<Object> buildCodec() {
            switch (name) {
                case "bool":
                    return erase(Codecs.BOOL);
                case "u8":
                    return erase(Codecs.U8);
                case "i8":
                    return erase(Codecs.I8);
                case "u16":
                    return erase(Codecs.U16);
                case "i16":
                    return erase(Codecs.I16);
                case "u32":
                    return erase(Codecs.U32);
                case "i32":
                    return erase(Codecs.I32);
                case "u64":
                case "usize":
                    return erase(Codecs.U64);
                case "i64":
                case "isize":
                    return erase(Codecs.I64);
                case "u128":
                    return erase(Codecs.U128);
                case "i128":
                    return erase(Codecs.I128);
                case "f32":
                    return erase(Codecs.F32);
                case "f64":
                    return erase(Codecs.F64);
                case "char":
                    return erase(Codecs.CHAR);
                case "string":
                    return erase(Codecs.STRING);
                case "bytes":
                    return erase(Codecs.BYTES);
                case "unit":
                    return erase(Codecs.UNIT);
                default:
                    throw new IllegalStateException(name);
            }
        }

        /** Bit width of an integer type (0 if not an integer), and whether it is signed. */
        int intBits() {
            switch (name) {
                case "u8":
                case "i8":
                    return 8;
                case "u16":
                case "i16":
                    return 16;
                case "u32":
                case "i32":
                    return 32;
                case "u64":
                case "i64":
                case "usize":
                case "isize":
                    return 64;
                case "u128":
                case "i128":
                    return 128;
                default:
                    return 0;
            }
        }

        boolean signed() {
            return name.startsWith("i");
        }

        /** The Java value of the integer {@code v}, which must be in this type's range. */
        Object fromBig(BigInteger v) {
            int bits = intBits();
            BigInteger min = signed() ? TWO.pow(bits - 1).negate() : BigInteger.ZERO;
            BigInteger max = signed() ? TWO.pow(bits - 1).subtract(BigInteger.ONE)
                    : TWO.pow(bits).subtract(BigInteger.ONE);
            if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                throw new IllegalArgumentException(v + " is out of the range of " + name);
            }
            switch (bits) {
                case 8:
                    return (byte) v.intValue();
                case 16:
                    return (short) v.intValue();
                case 32:
                    return v.intValue();
                case 64:
                    return v.longValue();
                default:
                    return v;
            }
        }

        @Override
        Object parseValue(Cursor in) {
            if (intBits() > 0) {
                String token = in.token();
                if (!token.matches("-?[0-9]+")) {
                    throw in.error("'" + token + "' is not an integer");
                }
                return fromBig(new BigInteger(token));
            }
            switch (name) {
                case "bool": {
                    String token = in.ident();
                    if (token.equals("true") || token.equals("false")) {
                        return token.equals("true");
                    }
                    throw in.error("'" + token + "' is not a bool");
                }
                case "f32":
                case "f64":
                    return parseFloat(in, name.equals("f32"));
                case "char": {
                    String s = in.stringLiteral();
                    if (s.codePointCount(0, s.length()) != 1) {
                        throw in.error("char literal must hold exactly one code point: " + ValueNotation.show(s));
                    }
                    return s.codePointAt(0);
                }
                case "string":
                    return in.stringLiteral();
                case "bytes": {
                    in.expect("[");
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    if (!in.tryEat("]")) {
                        do {
                            String token = in.token();
                            if (!token.matches("[0-9]+") || Integer.parseInt(token) > 255) {
                                throw in.error("'" + token + "' is not a byte 0..255");
                            }
                            out.write(Integer.parseInt(token));
                        } while (in.tryEat(","));
                        in.expect("]");
                    }
                    return out.toByteArray();
                }
                case "unit":
                    in.expect("(");
                    in.expect(")");
                    return Unit.UNIT;
                default:
                    throw new IllegalStateException(name);
            }
        }

        private static Object parseFloat(Cursor in, boolean f32) {
            String token = in.token();
            if (token.equals("inf") || token.equals("-inf")) {
                boolean neg = token.startsWith("-");
                if (f32) {
                    return neg ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                }
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (token.startsWith("NaN")) {
                String digits = f32 ? "{8}" : "{16}";
                if (!token.matches("NaN\\[bits=0x[0-9a-f]" + digits + "\\]")) {
                    throw in.error("bad NaN notation '" + token + "'");
                }
                String hex = token.substring("NaN[bits=0x".length(), token.length() - 1);
                if (f32) {
                    float v = Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
                    if (!Float.isNaN(v)) {
                        throw in.error("'" + token + "' is not a NaN");
                    }
                    return v;
                }
                double v = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
                if (!Double.isNaN(v)) {
                    throw in.error("'" + token + "' is not a NaN");
                }
                return v;
            }
            if (!token.matches("-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?")) {
                throw in.error("'" + token + "' is not a float");
            }
            if (f32) {
                return Float.parseFloat(token);
            }
            return Double.parseDouble(token);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            int bits = intBits();
            if (bits > 0) {
                return fromBig(randomInteger(rnd, bits, signed()));
            }
            switch (name) {
                case "bool":
                    return rnd.nextBoolean();
                case "f32":
                    switch (rnd.nextInt(4)) {
                        case 0:
                            return Float.intBitsToFloat(rnd.nextInt());
                        case 1:
                            return new float[] {0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY,
                                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE,
                                Float.intBitsToFloat(0x7fa00001), Float.intBitsToFloat(0xffc00000)}[rnd.nextInt(9)];
                        default:
                            return (rnd.nextFloat() - 0.5f) * 1000f;
                    }
                case "f64":
                    switch (rnd.nextInt(4)) {
                        case 0:
                            return Double.longBitsToDouble(rnd.nextLong());
                        case 1:
                            return new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
                                Double.longBitsToDouble(0x7ff0000000000001L)}[rnd.nextInt(8)];
                        default:
                            return (rnd.nextDouble() - 0.5) * 1e6;
                    }
                case "char":
                    return randomScalarValue(rnd);
                case "string": {
                    int n = rnd.nextInt(8) == 0 ? 100 + rnd.nextInt(100) : rnd.nextInt(12);
                    StringBuilder sb = new StringBuilder();
                    boolean ascii = rnd.nextBoolean();
                    for (int i = 0; i < n; i++) {
                        sb.appendCodePoint(ascii ? 0x20 + rnd.nextInt(0x5F) : randomScalarValue(rnd));
                    }
                    return sb.toString();
                }
                case "bytes": {
                    byte[] b = new byte[rnd.nextInt(8) == 0 ? 128 + rnd.nextInt(200) : rnd.nextInt(10)];
                    rnd.nextBytes(b);
                    return b;
                }
                case "unit":
                    return Unit.UNIT;
                default:
                    throw new IllegalStateException(name);
            }
        }

        /** A random integer of the given width, biased towards zero, the extremes and varint boundaries. */
        static BigInteger randomInteger(Random rnd, int bits, boolean signed) {
            BigInteger min = signed ? TWO.pow(bits - 1).negate() : BigInteger.ZERO;
            BigInteger max = signed ? TWO.pow(bits - 1).subtract(BigInteger.ONE) : TWO.pow(bits).subtract(BigInteger.ONE);
            BigInteger v;
            switch (rnd.nextInt(5)) {
                case 0:
                    v = rnd.nextBoolean() ? min : max;
                    break;
                case 1: {
                    // near a 7-bit boundary
                    int k = 7 * (1 + rnd.nextInt(Math.max(1, (bits + 6) / 7)));
                    v = TWO.pow(k).add(BigInteger.valueOf(rnd.nextInt(3) - 1));
                    if (signed && rnd.nextBoolean()) {
                        v = v.negate();
                    }
                    break;
                }
                case 2:
                    v = BigInteger.valueOf(rnd.nextInt(300) - (signed ? 150 : 0));
                    break;
                default:
                    v = new BigInteger(1 + rnd.nextInt(bits), rnd);
                    if (signed && rnd.nextBoolean()) {
                        v = v.negate();
                    }
                    break;
            }
            return v.max(min).min(max);
        }

        static int randomScalarValue(Random rnd) {
            switch (rnd.nextInt(5)) {
                case 0:
                    return rnd.nextInt(0x80);
                case 1:
                    return 0x80 + rnd.nextInt(0x800 - 0x80);
                case 2: {
                    int cp = 0x800 + rnd.nextInt(0x10000 - 0x800 - 0x800);
                    return cp >= 0xD800 ? cp + 0x800 : cp; // skip the surrogates
                }
                case 3:
                    return 0x10000 + rnd.nextInt(0x110000 - 0x10000);
                default:
                    return new int[] {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF}[
                            rnd.nextInt(10)];
            }
        }

        @Override
        String text() {
            return name;
        }

        @Override
        boolean keyable() {
            return !name.equals("f32") && !name.equals("f64") && !name.equals("bytes");
        }
    }

    // ============================================================================================ option, seq, map

    static final class Opt extends WireType {
        final WireType inner;

        Opt(WireType inner) {
            this.inner = inner;
        }

        @Override
        Codec<Object> buildCodec() {
            return erase(Codecs.option(inner.codec()));
        }

        @Override
        Object parseValue(Cursor in) {
            String word = in.ident();
            if (word.equals("None")) {
                return Optional.empty();
            }
            if (!word.equals("Some")) {
                throw in.error("expected None or Some(...), got '" + word + "'");
            }
            in.expect("(");
            Object v = inner.parseValue(in);
            in.expect(")");
            return Optional.of(v);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return rnd.nextInt(3) == 0 ? Optional.empty() : Optional.of(inner.randomValue(rnd, depth - 1));
        }

        @Override
        String text() {
            return "option<" + inner.text() + ">";
        }

        @Override
        boolean keyable() {
            return inner.keyable();
        }
    }

    static final class Seq extends WireType {
        final WireType inner;

        Seq(WireType inner) {
            this.inner = inner;
        }

        @Override
        Codec<Object> buildCodec() {
            return erase(Codecs.list(inner.codec()));
        }

        @Override
        Object parseValue(Cursor in) {
            in.expect("[");
            List<Object> out = new ArrayList<>();
            if (!in.tryEat("]")) {
                do {
                    out.add(inner.parseValue(in));
                } while (in.tryEat(","));
                in.expect("]");
            }
            return out;
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            int n;
            if (inner.codec().minEncodedSize() == 0) {
                n = rnd.nextInt(4) == 0 ? rnd.nextInt(100_000) : rnd.nextInt(5);
                return n == 0 ? List.of() : Collections.nCopies(n, inner.randomValue(rnd, depth - 1));
            }
            n = rnd.nextInt(12) == 0 && inner instanceof Scalar ? 120 + rnd.nextInt(150) : rnd.nextInt(Math.max(1,
                    Math.min(5, depth + 2)));
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(inner.randomValue(rnd, depth - 1));
            }
            return out;
        }

        @Override
        String text() {
            return "seq<" + inner.text() + ">";
        }

        @Override
        boolean keyable() {
            return false;
        }
    }

    static final class MapT extends WireType {
        final WireType key;
        final WireType value;

        MapT(WireType key, WireType value) {
            this.key = key;
            this.value = value;
        }

        @Override
        Codec<Object> buildCodec() {
            return erase(Codecs.map(key.codec(), value.codec()));
        }

        @Override
        Object parseValue(Cursor in) {
            in.expect("{");
            Map<Object, Object> out = new LinkedHashMap<>();
            if (!in.tryEat("}")) {
                do {
                    Object k = key.parseValue(in);
                    in.expect(":");
                    Object v = value.parseValue(in);
                    if (out.putIfAbsent(k, v) != null) {
                        throw in.error("duplicate key " + ValueNotation.show(k));
                    }
                } while (in.tryEat(","));
                in.expect("}");
            }
            return out;
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            int n = rnd.nextInt(12) == 0 && key instanceof Scalar && value instanceof Scalar ? 130 : rnd.nextInt(5);
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.putIfAbsent(key.randomValue(rnd, depth - 1), value.randomValue(rnd, depth - 1));
            }
            return out;
        }

        @Override
        String text() {
            return "map<" + key.text() + "," + value.text() + ">";
        }

        @Override
        boolean keyable() {
            return false;
        }
    }

    // ============================================================================================ fixed arrays

    /** {@code array<T;N>}: a primitive-array codec of the runtime where it has one, else {@code Codecs.array}. */
    static final class ArrayT extends WireType {
        final WireType inner;
        final int n;

        ArrayT(WireType inner, int n) {
            if (n < 0) {
                throw new IllegalArgumentException("negative array length " + n);
            }
            this.inner = inner;
            this.n = n;
        }

        private String scalar() {
            return inner instanceof Scalar s ? s.name : "";
        }

        @Override
        Codec<Object> buildCodec() {
            switch (scalar()) {
                case "u8":
                case "i8":
                    return erase(Codecs.byteArray(n));
                case "bool":
                    return erase(Codecs.boolArray(n));
                case "u16":
                case "i16":
                    return erase(Codecs.shortArray(n, scalar().equals("i16")));
                case "u32":
                    return erase(Codecs.intArray(n, Codecs.IntKind.U32));
                case "i32":
                    return erase(Codecs.intArray(n, Codecs.IntKind.I32));
                case "char":
                    return erase(Codecs.intArray(n, Codecs.IntKind.CHAR));
                case "u64":
                case "usize":
                    return erase(Codecs.longArray(n, false));
                case "i64":
                case "isize":
                    return erase(Codecs.longArray(n, true));
                case "f32":
                    return erase(Codecs.floatArray(n));
                case "f64":
                    return erase(Codecs.doubleArray(n));
                default:
                    return erase(Codecs.array(inner.codec(), n, Object[]::new));
            }
        }

        /** The Java array holding {@code elements} (boxed as the element type's values). */
        Object toJava(List<Object> elements) {
            switch (scalar()) {
                case "u8":
                case "i8": {
                    byte[] a = new byte[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Byte) elements.get(i);
                    }
                    return a;
                }
                case "bool": {
                    boolean[] a = new boolean[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Boolean) elements.get(i);
                    }
                    return a;
                }
                case "u16":
                case "i16": {
                    short[] a = new short[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Short) elements.get(i);
                    }
                    return a;
                }
                case "u32":
                case "i32":
                case "char": {
                    int[] a = new int[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Integer) elements.get(i);
                    }
                    return a;
                }
                case "u64":
                case "usize":
                case "i64":
                case "isize": {
                    long[] a = new long[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Long) elements.get(i);
                    }
                    return a;
                }
                case "f32": {
                    float[] a = new float[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Float) elements.get(i);
                    }
                    return a;
                }
                case "f64": {
                    double[] a = new double[elements.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (Double) elements.get(i);
                    }
                    return a;
                }
                default:
                    return elements.toArray();
            }
        }

        @Override
        Object parseValue(Cursor in) {
            List<Object> elements = Tuple.parseElements(in, Collections.nCopies(n, inner));
            return toJava(elements);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            List<Object> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elements.add(inner.randomValue(rnd, depth - 1));
            }
            return toJava(elements);
        }

        @Override
        String text() {
            return "array<" + inner.text() + ";" + n + ">";
        }

        @Override
        boolean keyable() {
            return false;
        }
    }

    // ============================================================================================ tuples and structs

    /** The codec of a sequence of fields, the value a {@code List<Object>}: tuples, tuple and named structs. */
    static Codec<Object> fieldsCodec(String what, List<WireType> fields) {
        List<Codec<Object>> codecs = new ArrayList<>();
        int min = 0;
        for (WireType f : fields) {
            codecs.add(f.codec());
            min = addSizes(min, f.codec().minEncodedSize());
        }
        int n = codecs.size();
        return Codec.of((w, v) -> {
            List<?> values = (List<?>) v;
            if (values.size() != n) {
                throw new IllegalArgumentException(what + " has " + n + " fields, value has " + values.size());
            }
            for (int i = 0; i < n; i++) {
                codecs.get(i).encode(w, values.get(i));
            }
        }, r -> {
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(codecs.get(i).decode(r));
            }
            return out;
        }, min);
    }

    static List<Object> randomFields(Random rnd, int depth, List<WireType> fields) {
        List<Object> out = new ArrayList<>(fields.size());
        for (WireType f : fields) {
            out.add(f.randomValue(rnd, depth - 1));
        }
        return out;
    }

    static String typeList(List<WireType> types) {
        StringBuilder sb = new StringBuilder();
        for (WireType t : types) {
            sb.append(sb.length() == 0 ? "" : ",").append(t.text());
        }
        return sb.toString();
    }

    static final class Tuple extends WireType {
        final List<WireType> elements;

        Tuple(List<WireType> elements) {
            this.elements = List.copyOf(elements);
        }

        @Override
        Codec<Object> buildCodec() {
            return fieldsCodec(text(), elements);
        }

        /** {@code (a, b, c)}; a 1-tuple is {@code (a,)}; a trailing comma is allowed. */
        static List<Object> parseElements(Cursor in, List<WireType> types) {
            in.expect("(");
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                if (i > 0) {
                    in.expect(",");
                }
                out.add(types.get(i).parseValue(in));
            }
            if (!types.isEmpty()) {
                in.tryEat(",");
            }
            in.expect(")");
            return out;
        }

        @Override
        Object parseValue(Cursor in) {
            return parseElements(in, elements);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return randomFields(rnd, depth, elements);
        }

        @Override
        String text() {
            return "tuple<" + typeList(elements) + ">";
        }

        @Override
        boolean keyable() {
            return elements.stream().allMatch(WireType::keyable);
        }
    }

    static final class UnitStruct extends WireType {
        final String name;

        UnitStruct(String name) {
            this.name = name;
        }

        @Override
        Codec<Object> buildCodec() {
            return erase(Codecs.UNIT);
        }

        @Override
        Object parseValue(Cursor in) {
            in.expectWord(name);
            return Unit.UNIT;
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return Unit.UNIT;
        }

        @Override
        String text() {
            return "unit_struct " + name;
        }

        @Override
        boolean keyable() {
            return true;
        }
    }

    /** {@code struct N(T);}: postcard writes the inner value only, so the codec is the inner one. */
    static final class Newtype extends WireType {
        final String name;
        final WireType inner;

        Newtype(String name, WireType inner) {
            this.name = name;
            this.inner = inner;
        }

        @Override
        Codec<Object> buildCodec() {
            return inner.codec();
        }

        @Override
        Object parseValue(Cursor in) {
            in.expectWord(name);
            in.expect("(");
            Object v = inner.parseValue(in);
            in.expect(")");
            return v;
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return inner.randomValue(rnd, depth);
        }

        @Override
        String text() {
            return "newtype_struct " + name + "(" + inner.text() + ")";
        }

        @Override
        boolean keyable() {
            return inner.keyable();
        }
    }

    /** {@code tuple_struct N(T1,T2)}; also the payload of a tuple variant. */
    static final class TupleStruct extends WireType {
        final String name;
        final List<WireType> fields;

        TupleStruct(String name, List<WireType> fields) {
            this.name = name;
            this.fields = List.copyOf(fields);
        }

        @Override
        Codec<Object> buildCodec() {
            return fieldsCodec(text(), fields);
        }

        Object parseBody(Cursor in) {
            return Tuple.parseElements(in, fields);
        }

        @Override
        Object parseValue(Cursor in) {
            in.expectWord(name);
            return parseBody(in);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return randomFields(rnd, depth, fields);
        }

        @Override
        String text() {
            return "tuple_struct " + name + "(" + typeList(fields) + ")";
        }

        @Override
        boolean keyable() {
            return fields.stream().allMatch(WireType::keyable);
        }
    }

    /** {@code struct N{f1:T1,f2:T2}}; also the payload of a struct variant. */
    static final class Struct extends WireType {
        final String name;
        final List<String> fieldNames;
        final List<WireType> fields;

        Struct(String name, List<String> fieldNames, List<WireType> fields) {
            if (fieldNames.size() != fields.size() || new java.util.HashSet<>(fieldNames).size() != fields.size()) {
                throw new IllegalArgumentException("struct " + name + " has duplicate or missing field names");
            }
            this.name = name;
            this.fieldNames = List.copyOf(fieldNames);
            this.fields = List.copyOf(fields);
        }

        @Override
        Codec<Object> buildCodec() {
            return fieldsCodec(text(), fields);
        }

        /** {@code {f1: v1, f2: v2}} with the fields in declaration order; an empty struct may be bare. */
        Object parseBody(Cursor in) {
            List<Object> out = new ArrayList<>();
            if (fields.isEmpty() && !in.peek('{')) {
                return out;
            }
            in.expect("{");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    in.expect(",");
                }
                in.expectWord(fieldNames.get(i));
                in.expect(":");
                out.add(fields.get(i).parseValue(in));
            }
            in.expect("}");
            return out;
        }

        @Override
        Object parseValue(Cursor in) {
            in.expectWord(name);
            return parseBody(in);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return randomFields(rnd, depth, fields);
        }

        @Override
        String text() {
            StringBuilder sb = new StringBuilder("struct " + name + "{");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(fieldNames.get(i)).append(':').append(fields.get(i).text());
            }
            return sb.append('}').toString();
        }

        @Override
        boolean keyable() {
            return fields.stream().allMatch(WireType::keyable);
        }
    }

    // ============================================================================================ enums

    /** One variant: its name, wire index, and payload type (null for a unit variant). */
    static final class Variant {
        enum Kind { UNIT, NEWTYPE, TUPLE, STRUCT }

        final String name;
        final int index;
        final Kind kind;
        final WireType payload;

        Variant(String name, int index, Kind kind, WireType payload) {
            this.name = name;
            this.index = index;
            this.kind = kind;
            this.payload = payload;
            if ((kind == Kind.UNIT) != (payload == null)) {
                throw new IllegalArgumentException("variant " + name + ": payload does not match kind " + kind);
            }
        }

        String text() {
            String head = name + "=" + Integer.toUnsignedString(index);
            switch (kind) {
                case UNIT:
                    return head;
                case NEWTYPE:
                    return head + "(" + payload.text() + ")";
                case TUPLE:
                    return head + "(" + typeList(((TupleStruct) payload).fields) + ")";
                default: {
                    String s = payload.text();
                    return head + s.substring(s.indexOf('{'));
                }
            }
        }
    }

    /**
     * {@code enum N{...}}: the variant index as a varint u32 ({@link PostcardWriter#writeVariantIndex},
     * {@link PostcardReader#readVariantIndex}), then the payload. An index that names no variant is
     * {@link PostcardReader#unknownVariant}. When the indices are exactly {@code 0..count-1} the decoder uses
     * {@link PostcardReader#readVariantIndex(int, String)}, the form generated code uses for such enums.
     */
    static final class EnumT extends WireType {
        final String name;
        final List<Variant> variants;
        private final String text;
        private final Map<Integer, Variant> byIndex = new HashMap<>();
        private final Map<String, Variant> byName = new HashMap<>();

        EnumT(String name, List<Variant> variants, String text) {
            this.name = name;
            this.variants = List.copyOf(variants);
            for (Variant v : variants) {
                if (byIndex.putIfAbsent(v.index, v) != null || byName.putIfAbsent(v.name, v) != null) {
                    throw new IllegalArgumentException("enum " + name + ": duplicate variant " + v.name + "="
                            + Integer.toUnsignedString(v.index));
                }
            }
            this.text = text;
        }

        EnumT(String name, List<Variant> variants) {
            this(name, variants, null);
        }

        private boolean dense() {
            for (Variant v : variants) {
                if (v.index < 0 || v.index >= variants.size()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        Codec<Object> buildCodec() {
            int min = Integer.MAX_VALUE;
            for (Variant v : variants) {
                int payloadMin = v.payload == null ? 0 : v.payload.codec().minEncodedSize();
                min = Math.min(min, addSizes(PostcardWriter.varint32Size(v.index), payloadMin));
            }
            int minSize = variants.isEmpty() ? 1 : min;
            boolean dense = dense();
            int count = variants.size();
            return Codec.of((w, value) -> {
                EnumValue e = (EnumValue) value;
                Variant v = byIndex.get(e.index());
                if (v == null || !v.name.equals(e.variant())) {
                    throw new IllegalArgumentException(name + " has no variant " + e.variant() + "="
                            + Integer.toUnsignedString(e.index()));
                }
                w.writeVariantIndex(v.index);
                if (v.payload != null) {
                    v.payload.codec().encode(w, e.payload());
                }
            }, r -> {
                int index;
                if (dense) {
                    index = r.readVariantIndex(count, name);
                } else {
                    int at = r.mark();
                    index = r.readVariantIndex();
                    if (!byIndex.containsKey(index)) {
                        throw r.unknownVariant(index, at, name);
                    }
                }
                Variant v = byIndex.get(index);
                Object payload = v.payload == null ? null : v.payload.codec().decode(r);
                return new EnumValue(index, v.name, payload);
            }, minSize);
        }

        @Override
        Object parseValue(Cursor in) {
            in.expectWord(name);
            in.expect("::");
            String variantName = in.ident();
            Variant v = byName.get(variantName);
            if (v == null) {
                throw in.error("enum " + name + " has no variant " + variantName);
            }
            Object payload;
            switch (v.kind) {
                case UNIT:
                    payload = null;
                    break;
                case NEWTYPE:
                    in.expect("(");
                    payload = v.payload.parseValue(in);
                    in.expect(")");
                    break;
                case TUPLE:
                    payload = ((TupleStruct) v.payload).parseBody(in);
                    break;
                default:
                    payload = ((Struct) v.payload).parseBody(in);
                    break;
            }
            return new EnumValue(v.index, v.name, payload);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            Variant v = variants.get(rnd.nextInt(variants.size()));
            return new EnumValue(v.index, v.name, v.payload == null ? null : v.payload.randomValue(rnd, depth - 1));
        }

        @Override
        String text() {
            if (text != null) {
                return text;
            }
            StringBuilder sb = new StringBuilder("enum " + name + "{");
            for (int i = 0; i < variants.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(variants.get(i).text());
            }
            return sb.append('}').toString();
        }

        @Override
        boolean keyable() {
            return variants.stream().allMatch(v -> v.kind == Variant.Kind.UNIT);
        }
    }

    // ============================================================================================ fixint, cobs

    /** {@code fixint_le<T>} / {@code fixint_be<T>}: the runtime's {@code FIXINT*} codecs. */
    static final class Fixint extends WireType {
        final Scalar inner;
        final boolean littleEndian;

        Fixint(Scalar inner, boolean littleEndian) {
            if (inner.intBits() == 0) {
                throw new IllegalArgumentException("fixint of a non-integer type " + inner.name);
            }
            this.inner = inner;
            this.littleEndian = littleEndian;
        }

        @Override
        Codec<Object> buildCodec() {
            switch (inner.intBits()) {
                case 8:
                    // one raw byte either way: the same wire as u8 / i8
                    return inner.codec();
                case 16:
                    return erase(littleEndian ? Codecs.FIXINT16_LE : Codecs.FIXINT16_BE);
                case 32:
                    return erase(littleEndian ? Codecs.FIXINT32_LE : Codecs.FIXINT32_BE);
                case 64:
                    return erase(littleEndian ? Codecs.FIXINT64_LE : Codecs.FIXINT64_BE);
                default:
                    throw new UnsupportedOperationException("the runtime has no fixint codec for " + inner.name);
            }
        }

        @Override
        Object parseValue(Cursor in) {
            return inner.parseValue(in);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return inner.randomValue(rnd, depth);
        }

        @Override
        String text() {
            return (littleEndian ? "fixint_le<" : "fixint_be<") + inner.text() + ">";
        }

        @Override
        boolean keyable() {
            return true;
        }
    }

    /** {@code cobs<T>}: only at the top of a type; the message is framed by {@link Postcard#encodeCobs}. */
    static final class CobsT extends WireType {
        final WireType inner;

        CobsT(WireType inner) {
            this.inner = Objects.requireNonNull(inner);
        }

        @Override
        Codec<Object> buildCodec() {
            return inner.codec();
        }

        @Override
        Object parseValue(Cursor in) {
            return inner.parseValue(in);
        }

        @Override
        Object randomValue(Random rnd, int depth) {
            return inner.randomValue(rnd, depth);
        }

        @Override
        String text() {
            return "cobs<" + inner.text() + ">";
        }

        @Override
        boolean keyable() {
            return false;
        }
    }
}
