package io.rapace.codec;

import io.rapace.codec.WireType.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Random nested {@link WireType}s for the property and fuzz tests. */
final class RandomTypes {
    private RandomTypes() {
    }

    static WireType scalar(Random rnd) {
        return new WireType.Scalar(WireType.Scalar.NAMES.get(rnd.nextInt(WireType.Scalar.NAMES.size())));
    }

    /** A random type nested at most {@code depth} levels. */
    static WireType type(Random rnd, int depth) {
        if (depth <= 0 || rnd.nextInt(4) == 0) {
            return scalar(rnd);
        }
        switch (rnd.nextInt(12)) {
            case 0:
                return new WireType.Opt(type(rnd, depth - 1));
            case 1:
                return new WireType.Seq(type(rnd, depth - 1));
            case 2:
                return new WireType.MapT(keyType(rnd, depth - 1), type(rnd, depth - 1));
            case 3:
                return new WireType.ArrayT(type(rnd, depth - 1), rnd.nextInt(5));
            case 4:
                return new WireType.Tuple(types(rnd, depth - 1, 1 + rnd.nextInt(4)));
            case 5: {
                int n = rnd.nextInt(5);
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("f" + i);
                }
                return new WireType.Struct("S" + rnd.nextInt(100), names, types(rnd, depth - 1, n));
            }
            case 6:
            case 7:
                return enumType(rnd, depth - 1);
            case 8:
                return new WireType.Newtype("N", type(rnd, depth - 1));
            case 9:
                return new WireType.TupleStruct("T", types(rnd, depth - 1, 1 + rnd.nextInt(3)));
            case 10: {
                String[] ints = {"u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"};
                return new WireType.Fixint(new WireType.Scalar(ints[rnd.nextInt(ints.length)]), rnd.nextBoolean());
            }
            default:
                return rnd.nextBoolean() ? new WireType.UnitStruct("U") : new WireType.Scalar("unit");
        }
    }

    private static List<WireType> types(Random rnd, int depth, int n) {
        List<WireType> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(type(rnd, depth));
        }
        return out;
    }

    /** A type whose values can be map keys: no floats, no byte arrays, no collections. */
    static WireType keyType(Random rnd, int depth) {
        switch (depth <= 0 ? 0 : rnd.nextInt(6)) {
            case 1:
                return new WireType.Opt(keyType(rnd, depth - 1));
            case 2:
                return new WireType.Tuple(List.of(keyType(rnd, depth - 1), keyType(rnd, depth - 1)));
            case 3: {
                List<Variant> variants = new ArrayList<>();
                int n = 1 + rnd.nextInt(6);
                for (int i = 0; i < n; i++) {
                    variants.add(new Variant("K" + i, i, Variant.Kind.UNIT, null));
                }
                return new WireType.EnumT("Key", variants);
            }
            default: {
                WireType t;
                do {
                    t = scalar(rnd);
                } while (!t.keyable());
                return t;
            }
        }
    }

    /** An enum with 1..6 variants of every kind; indices dense (0..n-1) or sparse up to 0xFFFFFFFF. */
    static WireType.EnumT enumType(Random rnd, int depth) {
        int n = 1 + rnd.nextInt(6);
        boolean dense = rnd.nextBoolean();
        Set<Integer> used = new HashSet<>();
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index;
            if (dense) {
                index = i;
            } else {
                do {
                    index = new int[] {rnd.nextInt(10), 127 + rnd.nextInt(3), 16383 + rnd.nextInt(3),
                        rnd.nextInt(), -1, Integer.MIN_VALUE}[rnd.nextInt(6)];
                } while (!used.add(index));
            }
            String name = "V" + i;
            switch (rnd.nextInt(4)) {
                case 0:
                    variants.add(new Variant(name, index, Variant.Kind.UNIT, null));
                    break;
                case 1:
                    variants.add(new Variant(name, index, Variant.Kind.NEWTYPE, type(rnd, depth)));
                    break;
                case 2:
                    variants.add(new Variant(name, index, Variant.Kind.TUPLE,
                            new WireType.TupleStruct(name, types(rnd, depth, 2 + rnd.nextInt(2)))));
                    break;
                default: {
                    int fields = 1 + rnd.nextInt(3);
                    List<String> names = new ArrayList<>();
                    for (int f = 0; f < fields; f++) {
                        names.add("x" + f);
                    }
                    variants.add(new Variant(name, index, Variant.Kind.STRUCT,
                            new WireType.Struct(name, names, types(rnd, depth, fields))));
                    break;
                }
            }
        }
        return new WireType.EnumT("E", variants);
    }
}
