package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The declared types themselves: a record per struct, a Java {@code enum} per enum of unit variants only, and per
 * enum with data a sealed interface with one nested record per variant (unit variants too), named as the IDL names
 * them and permitted in variant order.
 */
final class TypeGenerator {

    private final RecordWriter records;

    TypeGenerator(RecordWriter records) {
        this.records = records;
    }

    /** The type; {@code qualify} names the classes to spell in full (see {@link JavaGenerator}). */
    TypeSpec generate(TypeDecl type, String... qualify) {
        if (type instanceof StructDecl struct) {
            return records.record(Names.type(struct), components(struct.fields()), Docs.escape(struct.doc()))
                    .addModifiers(Modifier.PUBLIC)
                    .alwaysQualify(qualify)
                    .build();
        }
        EnumDecl enumDecl = (EnumDecl) type;
        return (enumDecl.isUnitOnly() ? unitEnum(enumDecl) : sealedInterface(enumDecl)).alwaysQualify(qualify).build();
    }

    private static TypeSpec.Builder unitEnum(EnumDecl enumDecl) {
        TypeSpec.Builder java = TypeSpec.enumBuilder(Names.type(enumDecl))
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(Docs.javadoc(enumDecl.doc()));
        for (Variant variant : enumDecl.variants()) {
            java.addEnumConstant(variant.javaConstant(),
                    TypeSpec.anonymousClassBuilder("").addJavadoc(Docs.javadoc(variant.doc())).build());
        }
        return java;
    }

    private TypeSpec.Builder sealedInterface(EnumDecl enumDecl) {
        ClassName name = Names.type(enumDecl);
        TypeSpec.Builder java = TypeSpec.interfaceBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addJavadoc(Docs.javadoc(enumDecl.doc()));
        for (Variant variant : enumDecl.variants()) {
            ClassName variantName = Names.className(variant.javaClass());
            java.addPermittedSubclass(variantName);
            java.addType(records.record(variantName, components(variant.fields()), Docs.escape(variant.doc()))
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addSuperinterface(name)
                    .build());
        }
        return java;
    }

    static List<RecordWriter.Component> components(List<Field> fields) {
        List<RecordWriter.Component> components = new ArrayList<>();
        for (Field field : fields) {
            components.add(new RecordWriter.Component(field.javaName(), field.type(), field.doc()));
        }
        return components;
    }

    static String[] names(List<Field> fields) {
        return fields.stream().map(Field::javaName).toArray(String[]::new);
    }
}
