package io.rapace.idl.gen;

import com.palantir.javapoet.CodeBlock;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's description of types, as expressions of {@code io.rapace.registry}: {@code TypeRef.I64},
 * {@code new TypeRef.ListOf(TypeRef.STRING)}, {@code new TypeSchema.Struct("pkg.Name", "doc", List.of(...))}. Names
 * and docs are the schema's, as written; declared types are named with their schema package.
 */
final class RegistryCode {

    private RegistryCode() {
    }

    static CodeBlock typeRef(TypeRef type) {
        if (type instanceof TypeRef.Primitive primitive) {
            return CodeBlock.of("$T.$L", RuntimeTypes.REGISTRY_TYPE_REF, primitive.type().name());
        }
        if (type instanceof TypeRef.Unit) {
            return CodeBlock.of("$T.UNIT", RuntimeTypes.REGISTRY_TYPE_REF);
        }
        if (type instanceof TypeRef.OptionOf option) {
            return CodeBlock.of("new $T($L)", RuntimeTypes.REGISTRY_TYPE_REF.nestedClass("OptionOf"),
                    typeRef(option.element()));
        }
        if (type instanceof TypeRef.ListOf list) {
            return CodeBlock.of("new $T($L)", RuntimeTypes.REGISTRY_TYPE_REF.nestedClass("ListOf"),
                    typeRef(list.element()));
        }
        if (type instanceof TypeRef.MapOf map) {
            return CodeBlock.of("new $T($L, $L)", RuntimeTypes.REGISTRY_TYPE_REF.nestedClass("MapOf"),
                    typeRef(map.key()), typeRef(map.value()));
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return CodeBlock.of("new $T($L, $L)", RuntimeTypes.REGISTRY_TYPE_REF.nestedClass("ArrayOf"),
                    typeRef(array.element()), array.length());
        }
        if (type instanceof TypeRef.Declared declared) {
            return CodeBlock.of("new $T($S)", RuntimeTypes.REGISTRY_TYPE_REF.nestedClass("Named"),
                    declared.name().qualifiedName());
        }
        throw new IllegalArgumentException("a tuple is described by its elements: " + type.toIdl());
    }

    /** {@code new Field("name", type, "doc")}. */
    static CodeBlock field(String name, TypeRef type, String doc) {
        return CodeBlock.of("new $T($S, $L, $S)", RuntimeTypes.REGISTRY_FIELD, name, typeRef(type), doc);
    }

    /**
     * {@code new TypeSchema.Struct(name, doc, fields)} with a field a line, or {@code new TypeSchema.Enum(name, doc,
     * variants)} with a variant a line.
     */
    static CodeBlock typeSchema(TypeDecl type) {
        String name = type.name().qualifiedName();
        if (type instanceof StructDecl struct) {
            List<CodeBlock> fields = new ArrayList<>();
            for (Field field : struct.fields()) {
                fields.add(field(field.name(), field.type(), field.doc()));
            }
            return CodeBlock.of("new $T($S,$W$S,\n$>$>$L)$<$<", RuntimeTypes.TYPE_SCHEMA.nestedClass("Struct"), name,
                    struct.doc(), DescriptorGenerator.list(fields));
        }
        List<CodeBlock> variants = new ArrayList<>();
        for (Variant variant : ((EnumDecl) type).variants()) {
            List<CodeBlock> fields = new ArrayList<>();
            for (Field field : variant.fields()) {
                fields.add(field(field.name(), field.type(), field.doc()));
            }
            variants.add(CodeBlock.of("new $T($S, $S,$W$T.of($L))", RuntimeTypes.TYPE_SCHEMA.nestedClass("Variant"),
                    variant.name(), variant.doc(), RuntimeTypes.LIST, CodeBlock.join(fields, ",$W")));
        }
        return CodeBlock.of("new $T($S,$W$S,\n$>$>$L)$<$<", RuntimeTypes.TYPE_SCHEMA.nestedClass("Enum"), name,
                type.doc(), DescriptorGenerator.list(variants));
    }
}
