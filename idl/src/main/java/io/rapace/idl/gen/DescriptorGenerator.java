package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.MethodIds;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.TypeDecl;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code FooDescriptor}: the service's registry entry (a {@code ServiceDescriptor} with a public no-argument
 * constructor, listed for {@code ServiceLoader}), and what the client and the dispatcher share: the service name,
 * the method id constants, the codec constants of composite requests and responses, and a record per method with
 * several named parameters, whose codec encodes them as the tuple of their values.
 */
final class DescriptorGenerator {

    private final SchemaIndex index;
    private final RecordWriter records;
    private final CodecGenerator codecs;
    private final JavaTypes types;

    DescriptorGenerator(SchemaIndex index, JavaTypes types, RecordWriter records, CodecGenerator codecs) {
        this.index = index;
        this.types = types;
        this.records = records;
        this.codecs = codecs;
    }

    TypeSpec generate(ServicePlan plan, String... qualify) {
        Service service = plan.service();
        ClassName descriptor = plan.descriptor();
        TypeSpec.Builder java = TypeSpec.classBuilder(descriptor)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(RuntimeTypes.SERVICE_DESCRIPTOR)
                .addJavadoc("The registry entry of {@link $T}, found by {@code ServiceRegistry.discover()}, with the"
                        + " method ids\nand the codecs its client and dispatcher share.\n", Names.service(service))
                .addField(FieldSpec.builder(RuntimeTypes.STRING, "SERVICE_NAME", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL).initializer("$S", service.name()).build());
        for (ServicePlan.MethodPlan method : plan.methods()) {
            java.addField(idConstant(service, method));
        }
        java.addFields(plan.pool().fields());
        java.addMethod(constructor(plan));
        for (ServicePlan.MethodPlan method : plan.methods()) {
            if (method.argsRecord() != null) {
                java.addType(argsRecord(plan, method));
            }
        }
        return java.alwaysQualify(qualify).build();
    }

    private static FieldSpec idConstant(Service service, ServicePlan.MethodPlan plan) {
        Method method = plan.method();
        FieldSpec.Builder field = FieldSpec.builder(TypeName.INT, plan.idConstant(), Modifier.PUBLIC,
                Modifier.STATIC, Modifier.FINAL);
        if (method.explicitId()) {
            field.addJavadoc("{@code $L}.\n", method.name());
            field.initializer("$L", method.id() >= 0 ? Integer.toString(method.id())
                    : MethodIds.toHexString(method.id()));
        } else {
            field.addJavadoc("{@code $L}: FNV-1a of {@code $L.$L}.\n", method.name(), service.identifier(),
                    method.name());
            field.initializer("$L", MethodIds.toHexString(method.id()));
        }
        return field.build();
    }

    private MethodSpec constructor(ServicePlan plan) {
        Service service = plan.service();
        List<CodeBlock> methods = new ArrayList<>();
        for (ServicePlan.MethodPlan method : plan.methods()) {
            methods.add(methodDescriptor(method));
        }
        List<CodeBlock> schemas = new ArrayList<>();
        for (TypeDecl type : index.typesUsedBy(service)) {
            schemas.add(RegistryCode.typeSchema(type));
        }
        return MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addCode("super(SERVICE_NAME, $S, $S,\n$>$>$L,\n$L);\n$<$<", service.version(), service.doc(),
                        list(methods), list(schemas))
                .build();
    }

    /** {@code List.of()}, or {@code List.of(} with one element a line, indented. */
    static CodeBlock list(List<CodeBlock> elements) {
        if (elements.isEmpty()) {
            return CodeBlock.of("$T.of()", RuntimeTypes.LIST);
        }
        return CodeBlock.of("$T.of(\n$>$>$L)$<$<", RuntimeTypes.LIST, CodeBlock.join(elements, ",\n"));
    }

    private static CodeBlock methodDescriptor(ServicePlan.MethodPlan plan) {
        Method method = plan.method();
        List<CodeBlock> parameters = new ArrayList<>();
        if (method.parameters() instanceof Parameters.Single single) {
            parameters.add(RegistryCode.field("", single.type(), ""));
        } else if (method.parameters() instanceof Parameters.Named named) {
            for (Parameter parameter : named.parameters()) {
                parameters.add(RegistryCode.field(parameter.name(), parameter.type(), ""));
            }
        }
        return CodeBlock.of("new $T($N, $S, $T.$L,\n$>$>$T.of($L),\n$L,$W$S)$<$<", RuntimeTypes.METHOD_DESCRIPTOR,
                plan.idConstant(), method.name(), RuntimeTypes.METHOD_KIND, method.kind().name(),
                RuntimeTypes.LIST, CodeBlock.join(parameters, ",$W"), RegistryCode.typeRef(method.responseType()),
                method.doc());
    }

    /** The request record of a method with several named parameters, with its codec. */
    private TypeSpec argsRecord(ServicePlan plan, ServicePlan.MethodPlan method) {
        Method m = method.method();
        ClassName name = plan.descriptor().nestedClass(method.argsRecord());
        List<Field> fields = new ArrayList<>();
        List<String> components = plan.localNames(method);
        List<Parameter> parameters = ((Parameters.Named) m.parameters()).parameters();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            fields.add(new Field(parameter.name(), components.get(i), parameter.type(), "", parameter.position()));
        }
        WireCode wire = new WireCode(index, new CodecPool(index, types, Modifier.PRIVATE));
        MethodSpec encode = codecs.encodeFields(name, fields, plan.service().identifier() + "." + m.name() + ".",
                wire).build();
        MethodSpec decode = codecs.decodeFields(name, fields, wire).build();
        int minSize = index.minSize(m.requestType());
        return records.record(name, TypeGenerator.components(fields), "The named parameters of {@code " + m.name()
                        + "}, encoded as the tuple of their values.\n")
                .addField(FieldSpec.builder(ParameterizedTypeName.get(RuntimeTypes.CODEC, name), method.argsCodec(),
                                Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.of($T::encode, $T::decode, $L)", RuntimeTypes.CODEC, name, name, minSize)
                        .build())
                .addFields(wire.pool().fields())
                .addMethod(encode)
                .addMethod(decode)
                .build();
    }
}
