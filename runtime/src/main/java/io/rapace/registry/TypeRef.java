package io.rapace.registry;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A reference to a type, as it appears in a field, a parameter or a result: a scalar, a composite of other types, or
 * the name of a {@link TypeSchema} the descriptor defines. {@link #typeName()} spells it as the IDL does
 * ({@code list<string>}, {@code [u8; 4]}, {@code io.rapace.samples.host.LogRequest}).
 *
 * <p>References nest at most {@value #MAX_DEPTH} levels deep ({@code list<option<T>>} is 2), which keeps decoding
 * a schema received from a peer bounded.
 */
public sealed interface TypeRef {
    /** How deep composite types may nest. */
    int MAX_DEPTH = 32;

    TypeRef BOOL = new Scalar(ScalarKind.BOOL);
    TypeRef U8 = new Scalar(ScalarKind.U8);
    TypeRef I8 = new Scalar(ScalarKind.I8);
    TypeRef U16 = new Scalar(ScalarKind.U16);
    TypeRef I16 = new Scalar(ScalarKind.I16);
    TypeRef U32 = new Scalar(ScalarKind.U32);
    TypeRef I32 = new Scalar(ScalarKind.I32);
    TypeRef U64 = new Scalar(ScalarKind.U64);
    TypeRef I64 = new Scalar(ScalarKind.I64);
    TypeRef U128 = new Scalar(ScalarKind.U128);
    TypeRef I128 = new Scalar(ScalarKind.I128);
    TypeRef F32 = new Scalar(ScalarKind.F32);
    TypeRef F64 = new Scalar(ScalarKind.F64);
    TypeRef CHAR = new Scalar(ScalarKind.CHAR);
    TypeRef STRING = new Scalar(ScalarKind.STRING);
    TypeRef BYTES = new Scalar(ScalarKind.BYTES);
    /** {@code ()}: no argument, or no result. */
    TypeRef UNIT = new Scalar(ScalarKind.UNIT);

    /** The type as the IDL writes it. */
    String typeName();

    /** The built-in types that contain no other type. Declaration order is the wire index. */
    enum ScalarKind {
        BOOL("bool"), U8("u8"), I8("i8"), U16("u16"), I16("i16"), U32("u32"), I32("i32"), U64("u64"), I64("i64"),
        U128("u128"), I128("i128"), F32("f32"), F64("f64"), CHAR("char"), STRING("string"), BYTES("bytes"),
        UNIT("()");

        private final String idlName;

        ScalarKind(String idlName) {
            this.idlName = idlName;
        }

        /** The IDL's name of the type. */
        public String idlName() {
            return idlName;
        }
    }

    /** A built-in type that contains no other type. */
    record Scalar(ScalarKind kind) implements TypeRef {
        public Scalar {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String typeName() {
            return kind.idlName();
        }
    }

    /** {@code option<T>}. */
    record OptionOf(TypeRef element) implements TypeRef {
        public OptionOf {
            checkNesting(element);
        }

        @Override
        public String typeName() {
            return "option<" + element.typeName() + ">";
        }
    }

    /** {@code list<T>}. */
    record ListOf(TypeRef element) implements TypeRef {
        public ListOf {
            checkNesting(element);
        }

        @Override
        public String typeName() {
            return "list<" + element.typeName() + ">";
        }
    }

    /** {@code map<K, V>}. */
    record MapOf(TypeRef key, TypeRef value) implements TypeRef {
        public MapOf {
            checkNesting(key);
            checkNesting(value);
        }

        @Override
        public String typeName() {
            return "map<" + key.typeName() + ", " + value.typeName() + ">";
        }
    }

    /** {@code [T; N]}, with 1 &lt;= N &lt;= 2^31-1. */
    record ArrayOf(TypeRef element, int length) implements TypeRef {
        public ArrayOf {
            checkNesting(element);
            if (length < 1) {
                throw new IllegalArgumentException("fixed array length must be at least 1: " + length);
            }
        }

        @Override
        public String typeName() {
            return "[" + element.typeName() + "; " + length + "]";
        }
    }

    /** A tuple: the request of a method with several named parameters, encoded as their values in order. */
    record Tuple(List<TypeRef> elements) implements TypeRef {
        public Tuple {
            elements = List.copyOf(elements);
            for (TypeRef element : elements) {
                checkNesting(element);
            }
        }

        @Override
        public String typeName() {
            StringJoiner out = new StringJoiner(", ", "(", ")");
            for (TypeRef element : elements) {
                out.add(element.typeName());
            }
            return out.toString();
        }
    }

    /** A struct or enum the service descriptor defines in its {@link ServiceDescriptor#types()}. */
    record Named(String name) implements TypeRef {
        public Named {
            if (Objects.requireNonNull(name, "name").isEmpty()) {
                throw new IllegalArgumentException("a named type needs a name");
            }
        }

        @Override
        public String typeName() {
            return name;
        }
    }

    /** How many composite levels {@code type} has: 0 for a scalar or a name. */
    private static int depth(TypeRef type) {
        if (type instanceof OptionOf option) {
            return 1 + depth(option.element());
        }
        if (type instanceof ListOf list) {
            return 1 + depth(list.element());
        }
        if (type instanceof MapOf map) {
            return 1 + Math.max(depth(map.key()), depth(map.value()));
        }
        if (type instanceof ArrayOf array) {
            return 1 + depth(array.element());
        }
        if (type instanceof Tuple tuple) {
            int deepest = 0;
            for (TypeRef element : tuple.elements()) {
                deepest = Math.max(deepest, depth(element));
            }
            return 1 + deepest;
        }
        return 0;
    }

    private static void checkNesting(TypeRef element) {
        Objects.requireNonNull(element, "element");
        if (depth(element) >= MAX_DEPTH) {
            throw new IllegalArgumentException("types nest more than " + MAX_DEPTH + " levels deep: "
                    + element.typeName());
        }
    }
}
