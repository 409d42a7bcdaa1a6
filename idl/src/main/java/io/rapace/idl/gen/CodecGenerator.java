package io.rapace.idl.gen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * A codec per declared type, {@code FooCodec}: static {@code encode} and {@code decode} that write and read the
 * fields in order with the runtime's {@code PostcardWriter} and {@code PostcardReader} (no reflection), and a
 * {@code CODEC} constant wrapping them, with the type's minimum encoded size, for use as a request, a response, a
 * stream element, or inside {@code option}, {@code list} and {@code map}. Also the codec of a method's named
 * parameters, nested in its request record.
 */
final class CodecGenerator {

    private static final String CODEC_DOC =
            "For requests, responses, stream elements and the elements of composite types.\n";

    private final SchemaIndex index;
    private final JavaTypes types;

    CodecGenerator(SchemaIndex index, JavaTypes types) {
        this.index = index;
        this.types = types;
    }

    /** The codec; {@code qualify} names the classes to spell in full (see {@link JavaGenerator}). */
    TypeSpec generate(TypeDecl type, String... qualify) {
        ClassName codec = Names.codec(type);
        ClassName javaType = Names.type(type);
        WireCode wire = new WireCode(index, new CodecPool(index, types, Modifier.PRIVATE));
        TypeSpec.Builder java = TypeSpec.classBuilder(codec)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("Postcard codec of {@link $T}.\n", javaType)
                .addField(FieldSpec.builder(ParameterizedTypeName.get(RuntimeTypes.CODEC, javaType), "CODEC",
                                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc(CODEC_DOC)
                        .initializer("$T.of($T::encode, $T::decode, $L)", RuntimeTypes.CODEC, codec, codec,
                                index.minSize(type))
                        .build());
        MethodSpec encode;
        MethodSpec decode;
        if (type instanceof StructDecl struct) {
            String label = struct.name().simpleName() + ".";
            encode = encodeFields(javaType, struct.fields(), label, wire).addModifiers(Modifier.PUBLIC).build();
            decode = decodeFields(javaType, struct.fields(), wire).addModifiers(Modifier.PUBLIC).build();
        } else {
            EnumDecl enumDecl = (EnumDecl) type;
            if (enumDecl.isUnitOnly()) {
                java.addField(FieldSpec.builder(ArrayTypeName.of(javaType), "VALUES", Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL).initializer("$T.values()", javaType).build());
                encode = MethodSpec.methodBuilder("encode")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(RuntimeTypes.POSTCARD_WRITER, "out")
                        .addParameter(javaType, "value")
                        .addStatement("out.writeVariantIndex(value.ordinal())")
                        .build();
                decode = MethodSpec.methodBuilder("decode")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(javaType)
                        .addParameter(RuntimeTypes.POSTCARD_READER, "in")
                        .addException(RuntimeTypes.DECODE_EXCEPTION)
                        .addStatement("return VALUES[in.readVariantIndex(VALUES.length, $S)]",
                                enumDecl.name().simpleName())
                        .build();
            } else {
                encode = encodeVariants(enumDecl, javaType, wire);
                decode = decodeVariants(enumDecl, javaType, wire);
            }
        }
        java.addFields(wire.pool().fields());
        java.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        java.addMethod(encode);
        java.addMethod(decode);
        return java.alwaysQualify(qualify).build();
    }

    /**
     * {@code static void encode(PostcardWriter out, T value)} writing {@code fields} in order, not yet public (a
     * request record's is package-private).
     */
    MethodSpec.Builder encodeFields(ClassName javaType, List<Field> fields, String label, WireCode wire) {
        MethodSpec.Builder encode = MethodSpec.methodBuilder("encode")
                .addModifiers(Modifier.STATIC)
                .addParameter(RuntimeTypes.POSTCARD_WRITER, "out")
                .addParameter(javaType, "value");
        for (Field field : fields) {
            encode.addStatement(wire.write(field.type(), "out", CodeBlock.of("value.$N()", field.javaName()),
                    label + field.name()));
        }
        return encode;
    }

    /**
     * {@code static T decode(PostcardReader in)} reading {@code fields} into locals named after them, then the
     * record. A local that would obscure a class the method names ({@code Arrays}, a codec) is renamed.
     */
    MethodSpec.Builder decodeFields(ClassName javaType, List<Field> fields, WireCode wire) {
        Set<String> taken = new TreeSet<>(List.of(TypeGenerator.names(fields)));
        String in = Names.unused("in", taken);
        taken.add(in);
        MethodSpec.Builder decode = MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.STATIC)
                .returns(javaType)
                .addParameter(RuntimeTypes.POSTCARD_READER, in)
                .addException(RuntimeTypes.DECODE_EXCEPTION);
        return decode.addCode(readLocals(javaType, fields, wire, in, taken, "return"));
    }

    /** Reads each field into a local, then {@code <keyword> new T(locals...)}. */
    private CodeBlock readLocals(ClassName javaType, List<Field> fields, WireCode wire, String in,
            Set<String> taken, String keyword) {
        CodeBlock.Builder code = CodeBlock.builder();
        List<CodeBlock> arguments = new ArrayList<>();
        Set<String> used = new TreeSet<>(taken);
        for (Field field : fields) {
            used.remove(field.javaName());
            String local = index.local(field.javaName(), used);
            used.add(local);
            code.addStatement("$T $N = $L", types.plain(field.type()), local, wire.read(field.type(), in));
            arguments.add(CodeBlock.of("$N", local));
        }
        return code.addStatement("$L new $T($L)", keyword, javaType, CodeBlock.join(arguments, ",$W")).build();
    }

    private MethodSpec encodeVariants(EnumDecl enumDecl, ClassName javaType, WireCode wire) {
        CodeBlock.Builder body = CodeBlock.builder();
        boolean first = true;
        for (Variant variant : enumDecl.variants()) {
            ClassName record = Names.className(variant.javaClass());
            String label = enumDecl.name().simpleName() + "." + variant.name() + ".";
            String prefix = first ? "if" : "} else if";
            first = false;
            String binding = null;
            if (variant.fields().isEmpty()) {
                body.add("$L (value instanceof $T) {\n$>", prefix, record);
            } else {
                binding = index.local(Names.lowerFirst(record.simpleName()), Set.of("out", "value"));
                body.add("$L (value instanceof $T $N) {\n$>", prefix, record, binding);
            }
            body.addStatement("out.writeVariantIndex($L)", variant.index());
            for (Field field : variant.fields()) {
                body.addStatement(wire.write(field.type(), "out", CodeBlock.of("$N.$N()", binding, field.javaName()),
                        label + field.name()));
            }
            body.add("$<");
        }
        body.add("} else {\n$>");
        body.addStatement("throw new $T($S + value)", RuntimeTypes.ILLEGAL_ARGUMENT_EXCEPTION,
                "not a variant of " + enumDecl.name().simpleName() + ": ");
        body.add("$<}\n");
        return MethodSpec.methodBuilder("encode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addParameter(RuntimeTypes.POSTCARD_WRITER, "out")
                .addParameter(javaType, "value")
                .addCode(body.build())
                .build();
    }

    private MethodSpec decodeVariants(EnumDecl enumDecl, ClassName javaType, WireCode wire) {
        Set<String> taken = new TreeSet<>();
        for (Variant variant : enumDecl.variants()) {
            taken.addAll(List.of(TypeGenerator.names(variant.fields())));
        }
        String in = Names.unused("in", taken);
        taken.add(in);
        String at = Names.unused("at", taken);
        taken.add(at);
        String variantIndex = Names.unused("variant", taken);
        taken.add(variantIndex);
        CodeBlock.Builder body = CodeBlock.builder()
                .addStatement("int $N = $N.mark()", at, in)
                .addStatement("int $N = $N.readVariantIndex()", variantIndex, in)
                .add("return switch ($N) {\n$>", variantIndex);
        for (Variant variant : enumDecl.variants()) {
            ClassName record = Names.className(variant.javaClass());
            List<Field> fields = variant.fields();
            if (fields.size() <= 1) {
                body.add("case $L -> new $T($L);\n", variant.index(), record,
                        fields.isEmpty() ? CodeBlock.of("") : wire.read(fields.get(0).type(), in));
                continue;
            }
            body.add("case $L -> {\n$>", variant.index());
            body.add(readLocals(record, fields, wire, in, taken, "yield"));
            body.add("$<}\n");
        }
        body.add("default -> throw $N.unknownVariant($N, $N, $S);\n", in, variantIndex, at,
                enumDecl.name().simpleName());
        body.add("$<};\n");
        return MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(javaType)
                .addParameter(RuntimeTypes.POSTCARD_READER, in)
                .addException(RuntimeTypes.DECODE_EXCEPTION)
                .addCode(body.build())
                .build();
    }
}
