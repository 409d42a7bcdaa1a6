package io.rapace.idl.gen;

import com.palantir.javapoet.CodeBlock;
import io.rapace.idl.model.PrimitiveType;
import io.rapace.idl.model.TypeRef;

/**
 * The statement that writes one value and the expression that reads one, for the body of a static
 * {@code encode}/{@code decode}: {@code out.writeI64(value.sum())}, {@code in.readString()}. Scalars go straight to
 * the writer and reader; declared types to their codec class; composites to a {@link CodecPool} constant.
 */
final class WireCode {

    private final SchemaIndex index;
    private final CodecPool pool;

    WireCode(SchemaIndex index, CodecPool pool) {
        this.index = index;
        this.pool = pool;
    }

    CodecPool pool() {
        return pool;
    }

    /**
     * Writes {@code value} (an expression) of {@code type} to the writer named {@code out}; {@code label} names the
     * field in the message of a value the type does not allow ({@code LogRequest.message}).
     */
    CodeBlock write(TypeRef type, String out, CodeBlock value, String label) {
        if (type instanceof TypeRef.Primitive primitive) {
            PrimitiveType p = primitive.type();
            return switch (p) {
                case I128, U128, CHAR, STRING ->
                        CodeBlock.of("$N.write$L($L, $S)", out, method(p), value, label);
                default -> CodeBlock.of("$N.write$L($L)", out, method(p), value);
            };
        }
        if (isByteArray(type)) {
            return CodeBlock.of("$N.writeFixedBytes($L, $L, $S)", out, value, ((TypeRef.ArrayOf) type).length(),
                    label);
        }
        if (type instanceof TypeRef.Declared declared) {
            return CodeBlock.of("$T.encode($N, $L)", Names.codec(index.resolve(declared)), out, value);
        }
        return CodeBlock.of("$N.encode($N, $L)", pool.constant(type), out, value);
    }

    /** Reads a value of {@code type} from the reader named {@code in}. */
    CodeBlock read(TypeRef type, String in) {
        if (type instanceof TypeRef.Primitive primitive) {
            return CodeBlock.of("$N.read$L()", in, method(primitive.type()));
        }
        if (isByteArray(type)) {
            return CodeBlock.of("$N.readFixedBytes($L)", in, ((TypeRef.ArrayOf) type).length());
        }
        if (type instanceof TypeRef.Declared declared) {
            return CodeBlock.of("$T.decode($N)", Names.codec(index.resolve(declared)), in);
        }
        return CodeBlock.of("$N.decode($N)", pool.constant(type), in);
    }

    /** {@code [u8; N]} and {@code [i8; N]}: raw bytes, read and written without a codec. */
    private static boolean isByteArray(TypeRef type) {
        return type instanceof TypeRef.ArrayOf array && array.element() instanceof TypeRef.Primitive primitive
                && (primitive.type() == PrimitiveType.U8 || primitive.type() == PrimitiveType.I8);
    }

    /** The suffix of the reader's and writer's method for a scalar: {@code U32}, {@code String}, ... */
    private static String method(PrimitiveType type) {
        return switch (type) {
            case BOOL -> "Bool";
            case STRING -> "String";
            case BYTES -> "Bytes";
            case CHAR -> "Char";
            default -> type.name();
        };
    }
}
