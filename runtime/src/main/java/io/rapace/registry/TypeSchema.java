package io.rapace.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The definition of a named type: a struct, or an enum (with unit variants, variants with fields, or both). */
public sealed interface TypeSchema {

    /** Postcard codec of type schemas (the layout of a type inside a service descriptor). */
    io.rapace.codec.Codec<TypeSchema> CODEC = io.rapace.codec.Codec.of(RegistryCodec::encodeTypeSchema,
            RegistryCodec::decodeTypeSchema, RegistryCodec.TYPE_SCHEMA_MIN_SIZE);

    /** The type's qualified name: the IDL package, a dot, the type name ({@code io.rapace.samples.host.LogLevel}). */
    String name();

    /** The {@code ///} documentation, empty if there is none. */
    String doc();

    /** A struct: its fields in declaration order, which is their order on the wire. */
    record Struct(String name, String doc, List<Field> fields) implements TypeSchema {
        public Struct {
            checkName(name, doc);
            fields = List.copyOf(fields);
            checkDistinct(fields, "field", name);
        }
    }

    /** An enum: its variants in declaration order, whose index is the variant's number on the wire. */
    record Enum(String name, String doc, List<Variant> variants) implements TypeSchema {
        public Enum {
            checkName(name, doc);
            variants = List.copyOf(variants);
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("enum " + name + " has no variant");
            }
            Set<String> seen = new HashSet<>();
            for (Variant variant : variants) {
                if (!seen.add(variant.name())) {
                    throw new IllegalArgumentException("enum " + name + " has two variants named " + variant.name());
                }
            }
        }
    }

    /** A variant of an {@link Enum}: a unit variant has no fields. */
    record Variant(String name, String doc, List<Field> fields) {
        public Variant {
            checkName(name, doc);
            fields = List.copyOf(fields);
            checkDistinct(fields, "field", name);
        }
    }

    private static void checkName(String name, String doc) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("a type or variant needs a name");
        }
        Objects.requireNonNull(doc, "doc");
    }

    private static void checkDistinct(List<Field> fields, String what, String owner) {
        Set<String> seen = new HashSet<>();
        for (Field field : fields) {
            if (!seen.add(field.name())) {
                throw new IllegalArgumentException(owner + " has two " + what + "s named " + field.name());
            }
        }
    }
}
