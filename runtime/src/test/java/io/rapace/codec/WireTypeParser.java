package io.rapace.codec;

import io.rapace.codec.WireType.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the TYPE GRAMMAR of {@code postcard-vectors.tsv} into a {@link WireType}. Every construct of the grammar is
 * supported; anything else is an {@link IllegalArgumentException} (so a case with an unknown type fails, it is never
 * skipped). Also understands the one enum written in words,
 * {@code enum Wide{V<i>=<i> for i in 0..=299 (declaration order, index == number in name); V128=128(u8); ...; all
 * other V<i> are unit variants}}, as its text says: variants {@code V0..V299} with index == number, those listed
 * after the first {@code ;} with the given payloads, all others unit variants.
 */
final class WireTypeParser {
    private WireTypeParser() {
    }

    /** The whole type column of a line; {@code cobs<T>} is allowed only here, at the top. */
    static WireType parse(String text) {
        Cursor in = new Cursor(text);
        WireType t = parseType(in, true);
        in.end();
        return t;
    }

    private static WireType parseType(Cursor in, boolean top) {
        String word = in.ident();
        switch (word) {
            case "option": {
                in.expect("<");
                WireType inner = parseType(in, false);
                in.expect(">");
                return new WireType.Opt(inner);
            }
            case "seq": {
                in.expect("<");
                WireType inner = parseType(in, false);
                in.expect(">");
                return new WireType.Seq(inner);
            }
            case "array": {
                in.expect("<");
                WireType inner = parseType(in, false);
                in.expect(";");
                long n = in.unsigned();
                in.expect(">");
                if (n > Integer.MAX_VALUE) {
                    throw in.error("array length " + n + " too large");
                }
                return new WireType.ArrayT(inner, (int) n);
            }
            case "tuple": {
                in.expect("<");
                List<WireType> elements = parseTypeList(in, ">");
                return new WireType.Tuple(elements);
            }
            case "map": {
                in.expect("<");
                WireType key = parseType(in, false);
                in.expect(",");
                WireType value = parseType(in, false);
                in.expect(">");
                return new WireType.MapT(key, value);
            }
            case "unit_struct":
                return new WireType.UnitStruct(in.ident());
            case "newtype_struct": {
                String name = in.ident();
                in.expect("(");
                WireType inner = parseType(in, false);
                in.expect(")");
                return new WireType.Newtype(name, inner);
            }
            case "tuple_struct": {
                String name = in.ident();
                in.expect("(");
                return new WireType.TupleStruct(name, parseTypeList(in, ")"));
            }
            case "struct":
                return parseStruct(in, in.ident());
            case "enum":
                return parseEnum(in);
            case "fixint_le":
            case "fixint_be": {
                in.expect("<");
                WireType inner = parseType(in, false);
                in.expect(">");
                if (!(inner instanceof WireType.Scalar s) || s.intBits() == 0) {
                    throw in.error(word + " needs an integer type, got " + inner.text());
                }
                return new WireType.Fixint(s, word.equals("fixint_le"));
            }
            case "cobs": {
                if (!top) {
                    throw in.error("cobs<T> is a message framing and may only appear at the top of a type");
                }
                in.expect("<");
                WireType inner = parseType(in, false);
                in.expect(">");
                return new WireType.CobsT(inner);
            }
            default:
                if (WireType.Scalar.NAMES.contains(word)) {
                    return new WireType.Scalar(word);
                }
                throw in.error("unsupported type '" + word + "'");
        }
    }

    /** {@code T1,T2,...} up to and including {@code close}; at least one type. */
    private static List<WireType> parseTypeList(Cursor in, String close) {
        List<WireType> out = new ArrayList<>();
        do {
            out.add(parseType(in, false));
        } while (in.tryEat(","));
        in.expect(close);
        return out;
    }

    /** {@code {f1:T1,f2:T2}} after the struct's name (also a struct variant's body). */
    private static WireType.Struct parseStruct(Cursor in, String name) {
        in.expect("{");
        List<String> names = new ArrayList<>();
        List<WireType> fields = new ArrayList<>();
        if (!in.tryEat("}")) {
            do {
                names.add(in.ident());
                in.expect(":");
                fields.add(parseType(in, false));
            } while (in.tryEat(","));
            in.expect("}");
        }
        return new WireType.Struct(name, names, fields);
    }

    /** {@code Name=index}, then {@code (T)}, {@code (T1,T2)}, {@code {f:T}} or nothing. */
    private static Variant parseVariant(Cursor in) {
        String name = in.ident();
        in.expect("=");
        long index = in.unsigned();
        if (index > 0xFFFF_FFFFL) {
            throw in.error("variant index " + index + " does not fit a u32");
        }
        if (in.peek('(')) {
            in.expect("(");
            List<WireType> types = parseTypeList(in, ")");
            if (types.size() == 1) {
                return new Variant(name, (int) index, Variant.Kind.NEWTYPE, types.get(0));
            }
            return new Variant(name, (int) index, Variant.Kind.TUPLE, new WireType.TupleStruct(name, types));
        }
        if (in.peek('{')) {
            return new Variant(name, (int) index, Variant.Kind.STRUCT, parseStruct(in, name));
        }
        return new Variant(name, (int) index, Variant.Kind.UNIT, null);
    }

    private static WireType parseEnum(Cursor in) {
        String name = in.ident();
        in.expect("{");
        if (in.startsWith("V<i>=<i> for i in ")) {
            return parseWordedEnum(in, name);
        }
        List<Variant> variants = new ArrayList<>();
        if (!in.tryEat("}")) {
            do {
                variants.add(parseVariant(in));
            } while (in.tryEat(","));
            in.expect("}");
        }
        return new WireType.EnumT(name, variants);
    }

    /**
     * {@code V<i>=<i> for i in LO..=HI (declaration order, index == number in name); V128=128(u8); ...; all other
     * V<i> are unit variants}: the {@code enum Wide} line of the vectors file, read as its text describes.
     */
    private static WireType parseWordedEnum(Cursor in, String name) {
        in.expect("V<i>=<i> for i in ");
        long lo = in.unsigned();
        in.expect("..=");
        long hi = in.unsigned();
        in.expect("(declaration order, index == number in name)");
        if (lo > hi || hi > 100_000) {
            throw in.error("bad variant range " + lo + "..=" + hi);
        }
        Map<Long, Variant> listed = new LinkedHashMap<>();
        boolean sawRest = false;
        while (in.tryEat(";")) {
            if (in.tryEat("all other V<i> are unit variants")) {
                sawRest = true;
                break;
            }
            Variant v = parseVariant(in);
            long index = Integer.toUnsignedLong(v.index);
            if (!v.name.equals("V" + index) || index < lo || index > hi || listed.put(index, v) != null) {
                throw in.error("listed variant " + v.name + "=" + index + " does not fit V<i>=<i> for i in " + lo
                        + "..=" + hi);
            }
        }
        if (!sawRest) {
            throw in.error("expected '; all other V<i> are unit variants'");
        }
        in.expect("}");
        List<Variant> variants = new ArrayList<>();
        for (long i = lo; i <= hi; i++) {
            Variant v = listed.get(i);
            variants.add(v != null ? v : new Variant("V" + i, (int) i, Variant.Kind.UNIT, null));
        }
        StringBuilder text = new StringBuilder("enum " + name + "{V<i>=<i> for i in " + lo + "..=" + hi
                + " (declaration order, index == number in name)");
        for (Variant v : listed.values()) {
            text.append("; ").append(v.text());
        }
        text.append("; all other V<i> are unit variants}");
        return new WireType.EnumT(name, variants, text.toString());
    }
}
