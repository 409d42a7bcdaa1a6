package io.rapace.registry;

import io.rapace.annotation.MethodKind;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Postcard encoding of the registry model, written the way generated codecs are: fields in declaration order, enums
 * as their variant index. {@code docs/generated-code.md} lists the layout.
 *
 * <p>Decoding is bounded like every decoder: nesting deeper than {@link TypeRef#MAX_DEPTH} and a value that breaks a
 * rule of the model (an undefined named type, two methods with one id) are {@link DecodeException}s with reason
 * {@code INVALID_VALUE}, never another exception.
 */
final class RegistryCodec {
    /** Smallest encodings: a scalar type is an index and a kind; a field has a name, a type and a doc. */
    static final int TYPE_MIN_SIZE = 2;
    static final int FIELD_MIN_SIZE = 1 + TYPE_MIN_SIZE + 1;
    static final int VARIANT_MIN_SIZE = 3;
    static final int TYPE_SCHEMA_MIN_SIZE = 4;
    static final int METHOD_MIN_SIZE = 1 + 1 + 1 + 1 + TYPE_MIN_SIZE + 1;
    static final int SERVICE_MIN_SIZE = 5;

    private static final int SCALAR = 0;
    private static final int OPTION = 1;
    private static final int LIST = 2;
    private static final int MAP = 3;
    private static final int ARRAY = 4;
    private static final int TUPLE = 5;
    private static final int NAMED = 6;
    private static final int STRUCT = 0;
    private static final int ENUM = 1;

    private static final TypeRef.ScalarKind[] SCALARS = TypeRef.ScalarKind.values();
    private static final MethodKind[] KINDS = MethodKind.values();

    private RegistryCodec() {
    }

    // ---------------------------------------------------------------- service

    static void encodeService(PostcardWriter out, ServiceDescriptor service) {
        out.writeString(service.name(), "ServiceDescriptor.name");
        out.writeString(service.version(), "ServiceDescriptor.version");
        out.writeString(service.doc(), "ServiceDescriptor.doc");
        out.writeLength(service.methods().size());
        for (MethodDescriptor method : service.methods()) {
            encodeMethod(out, method);
        }
        out.writeLength(service.types().size());
        for (TypeSchema type : service.types()) {
            encodeTypeSchema(out, type);
        }
    }

    static ServiceDescriptor decodeService(PostcardReader in) throws DecodeException {
        int at = in.mark();
        String name = in.readString();
        String version = in.readString();
        String doc = in.readString();
        int methodCount = in.readLength(METHOD_MIN_SIZE);
        List<MethodDescriptor> methods = new ArrayList<>(methodCount);
        for (int i = 0; i < methodCount; i++) {
            methods.add(decodeMethod(in));
        }
        int typeCount = in.readLength(TYPE_SCHEMA_MIN_SIZE);
        List<TypeSchema> types = new ArrayList<>(typeCount);
        for (int i = 0; i < typeCount; i++) {
            types.add(decodeTypeSchema(in));
        }
        try {
            return new ServiceDescriptor(name, version, doc, methods, types);
        } catch (IllegalArgumentException e) {
            throw in.error(DecodeException.Reason.INVALID_VALUE, at, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- method

    static void encodeMethod(PostcardWriter out, MethodDescriptor method) {
        out.writeU32(method.id());
        out.writeString(method.name(), "MethodDescriptor.name");
        out.writeVariantIndex(method.kind().ordinal());
        encodeFields(out, method.parameters());
        encodeType(out, method.response());
        out.writeString(method.doc(), "MethodDescriptor.doc");
    }

    static MethodDescriptor decodeMethod(PostcardReader in) throws DecodeException {
        int at = in.mark();
        int id = in.readU32();
        String name = in.readString();
        MethodKind kind = KINDS[in.readVariantIndex(KINDS.length, "MethodKind")];
        List<Field> parameters = decodeFields(in);
        TypeRef response = decodeType(in, 0);
        String doc = in.readString();
        try {
            return new MethodDescriptor(id, name, kind, parameters, response, doc);
        } catch (IllegalArgumentException e) {
            throw in.error(DecodeException.Reason.INVALID_VALUE, at, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- fields

    static void encodeFields(PostcardWriter out, List<Field> fields) {
        out.writeLength(fields.size());
        for (Field field : fields) {
            out.writeString(field.name(), "Field.name");
            encodeType(out, field.type());
            out.writeString(field.doc(), "Field.doc");
        }
    }

    static List<Field> decodeFields(PostcardReader in) throws DecodeException {
        int n = in.readLength(FIELD_MIN_SIZE);
        List<Field> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readString();
            TypeRef type = decodeType(in, 0);
            String doc = in.readString();
            fields.add(new Field(name, type, doc));
        }
        return fields;
    }

    // ---------------------------------------------------------------- type references

    static void encodeType(PostcardWriter out, TypeRef type) {
        if (type instanceof TypeRef.Scalar scalar) {
            out.writeVariantIndex(SCALAR);
            out.writeVariantIndex(scalar.kind().ordinal());
        } else if (type instanceof TypeRef.OptionOf option) {
            out.writeVariantIndex(OPTION);
            encodeType(out, option.element());
        } else if (type instanceof TypeRef.ListOf list) {
            out.writeVariantIndex(LIST);
            encodeType(out, list.element());
        } else if (type instanceof TypeRef.MapOf map) {
            out.writeVariantIndex(MAP);
            encodeType(out, map.key());
            encodeType(out, map.value());
        } else if (type instanceof TypeRef.ArrayOf array) {
            out.writeVariantIndex(ARRAY);
            encodeType(out, array.element());
            out.writeU32(array.length());
        } else if (type instanceof TypeRef.Tuple tuple) {
            out.writeVariantIndex(TUPLE);
            out.writeLength(tuple.elements().size());
            for (TypeRef element : tuple.elements()) {
                encodeType(out, element);
            }
        } else {
            out.writeVariantIndex(NAMED);
            out.writeString(((TypeRef.Named) type).name(), "TypeRef.Named.name");
        }
    }

    /** Reads a type reference inside {@code level} composite types. */
    static TypeRef decodeType(PostcardReader in, int level) throws DecodeException {
        int at = in.mark();
        int variant = in.readVariantIndex(NAMED + 1, "TypeRef");
        if (variant != SCALAR && variant != NAMED && level >= TypeRef.MAX_DEPTH) {
            throw in.error(DecodeException.Reason.INVALID_VALUE, at,
                    "types nest more than " + TypeRef.MAX_DEPTH + " levels deep");
        }
        try {
            switch (variant) {
                case SCALAR:
                    return new TypeRef.Scalar(SCALARS[in.readVariantIndex(SCALARS.length, "ScalarKind")]);
                case OPTION:
                    return new TypeRef.OptionOf(decodeType(in, level + 1));
                case LIST:
                    return new TypeRef.ListOf(decodeType(in, level + 1));
                case MAP:
                    TypeRef key = decodeType(in, level + 1);
                    return new TypeRef.MapOf(key, decodeType(in, level + 1));
                case ARRAY:
                    TypeRef element = decodeType(in, level + 1);
                    return new TypeRef.ArrayOf(element, in.readU32());
                case TUPLE:
                    int n = in.readLength(TYPE_MIN_SIZE);
                    List<TypeRef> elements = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        elements.add(decodeType(in, level + 1));
                    }
                    return new TypeRef.Tuple(elements);
                default:
                    return new TypeRef.Named(in.readString());
            }
        } catch (IllegalArgumentException e) {
            throw in.error(DecodeException.Reason.INVALID_VALUE, at, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- type schemas

    static void encodeTypeSchema(PostcardWriter out, TypeSchema type) {
        if (type instanceof TypeSchema.Struct struct) {
            out.writeVariantIndex(STRUCT);
            out.writeString(struct.name(), "TypeSchema.Struct.name");
            out.writeString(struct.doc(), "TypeSchema.Struct.doc");
            encodeFields(out, struct.fields());
        } else {
            TypeSchema.Enum enumeration = (TypeSchema.Enum) type;
            out.writeVariantIndex(ENUM);
            out.writeString(enumeration.name(), "TypeSchema.Enum.name");
            out.writeString(enumeration.doc(), "TypeSchema.Enum.doc");
            out.writeLength(enumeration.variants().size());
            for (TypeSchema.Variant variant : enumeration.variants()) {
                out.writeString(variant.name(), "TypeSchema.Variant.name");
                out.writeString(variant.doc(), "TypeSchema.Variant.doc");
                encodeFields(out, variant.fields());
            }
        }
    }

    static TypeSchema decodeTypeSchema(PostcardReader in) throws DecodeException {
        int at = in.mark();
        int variant = in.readVariantIndex(ENUM + 1, "TypeSchema");
        String name = in.readString();
        String doc = in.readString();
        try {
            if (variant == STRUCT) {
                return new TypeSchema.Struct(name, doc, decodeFields(in));
            }
            int n = in.readLength(VARIANT_MIN_SIZE);
            List<TypeSchema.Variant> variants = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int variantAt = in.mark();
                String variantName = in.readString();
                String variantDoc = in.readString();
                List<Field> fields = decodeFields(in);
                try {
                    variants.add(new TypeSchema.Variant(variantName, variantDoc, fields));
                } catch (IllegalArgumentException e) {
                    throw in.error(DecodeException.Reason.INVALID_VALUE, variantAt, e.getMessage());
                }
            }
            return new TypeSchema.Enum(name, doc, variants);
        } catch (IllegalArgumentException e) {
            throw in.error(DecodeException.Reason.INVALID_VALUE, at, e.getMessage());
        }
    }
}
