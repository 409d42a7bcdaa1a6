package io.rapace.idl.model;

import java.util.Optional;

/** The built-in scalar types ({@code docs/idl.md}, "Types"), each with its IDL spelling. */
public enum PrimitiveType {
    BOOL("bool"),
    I8("i8"),
    I16("i16"),
    I32("i32"),
    I64("i64"),
    I128("i128"),
    U8("u8"),
    U16("u16"),
    U32("u32"),
    U64("u64"),
    U128("u128"),
    F32("f32"),
    F64("f64"),
    /** One Unicode scalar value; a code point in Java. */
    CHAR("char"),
    STRING("string"),
    BYTES("bytes");

    private final String idlName;

    PrimitiveType(String idlName) {
        this.idlName = idlName;
    }

    /** The name as written in a {@code .rapace} file, e.g. {@code u32}. */
    public String idlName() {
        return idlName;
    }

    /** Whether this is one of the signed or unsigned integer types, {@code i8} to {@code u128}. */
    public boolean isInteger() {
        return switch (this) {
            case I8, I16, I32, I64, I128, U8, U16, U32, U64, U128 -> true;
            default -> false;
        };
    }

    /** Whether this is an unsigned integer type, {@code u8} to {@code u128}. */
    public boolean isUnsigned() {
        return switch (this) {
            case U8, U16, U32, U64, U128 -> true;
            default -> false;
        };
    }

    /** The primitive spelled {@code idlName} in a {@code .rapace} file, if there is one. */
    public static Optional<PrimitiveType> fromIdlName(String idlName) {
        for (PrimitiveType type : values()) {
            if (type.idlName.equals(idlName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return idlName;
    }
}
