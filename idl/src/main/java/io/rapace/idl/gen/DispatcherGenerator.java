package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.rapace.idl.model.Method;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code FooDispatcher}: serves an implementation of {@code Foo}, one {@code ServerMethod} per method with its id,
 * name, codecs and a handler of the method's shape, a method reference or a one-line lambda calling the
 * implementation. The transport does the rest (decoding, encoding, credit, deadlines, errors).
 */
final class DispatcherGenerator {

    private DispatcherGenerator() {
    }

    static TypeSpec generate(ServicePlan plan, String... qualify) {
        ClassName service = Names.service(plan.service());
        ClassName dispatcher = Names.dispatcher(plan.service());
        List<CodeBlock> methods = new ArrayList<>();
        for (ServicePlan.MethodPlan method : plan.methods()) {
            methods.add(serverMethod(plan, method));
        }
        return TypeSpec.classBuilder(dispatcher)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.SERVICE_DISPATCHER)
                .addJavadoc("Serves an implementation of {@link $T}: each method id goes to its method.\n", service)
                .addField(FieldSpec.builder(service, "implementation", Modifier.PRIVATE, Modifier.FINAL).build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .addParameter(service, "implementation")
                        .addStatement("this.implementation = $T.requireNonNull(implementation, $S)",
                                RuntimeTypes.OBJECTS, "implementation")
                        .build())
                .addMethod(MethodSpec.methodBuilder("serviceName")
                        .addAnnotation(RuntimeTypes.OVERRIDE)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(RuntimeTypes.STRING)
                        .addStatement("return $T.SERVICE_NAME", plan.descriptor())
                        .build())
                .addMethod(MethodSpec.methodBuilder("methods")
                        .addAnnotation(RuntimeTypes.OVERRIDE)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(ParameterizedTypeName.get(RuntimeTypes.LIST,
                                ParameterizedTypeName.get(RuntimeTypes.SERVER_METHOD,
                                        WildcardTypeName.subtypeOf(Object.class),
                                        WildcardTypeName.subtypeOf(Object.class))))
                        .addCode("return $T.of(\n$>$>$L);\n$<$<", RuntimeTypes.LIST, CodeBlock.join(methods, ",\n"))
                        .build())
                .alwaysQualify(qualify)
                .build();
    }

    /** {@code ServerMethod.<kind>(ID, "name", requestCodec, responseCodec, handler)}. */
    private static CodeBlock serverMethod(ServicePlan plan, ServicePlan.MethodPlan method) {
        Method m = method.method();
        String factory = switch (m.kind()) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "clientStreaming";
            case SERVER_STREAMING -> "serverStreaming";
            case BIDI_STREAMING -> "bidiStreaming";
        };
        return CodeBlock.of("$[$T.$L($T.$N,$W$S,$W$L,$W$L,$W$L)$]", RuntimeTypes.SERVER_METHOD, factory,
                plan.descriptor(), method.idConstant(), m.name(), method.requestCodec(), method.responseCodec(),
                handler(plan, method));
    }

    /** A method reference, or a lambda unpacking the request and, for a method without result, answering UNIT. */
    private static CodeBlock handler(ServicePlan plan, ServicePlan.MethodPlan method) {
        String javaName = method.method().javaName();
        String parameter;
        CodeBlock arguments;
        switch (method.request()) {
            case NONE -> {
                parameter = "unit";
                arguments = CodeBlock.of("");
            }
            case SINGLE -> {
                parameter = method.method().kind().streamsRequests() ? "requests" : "request";
                arguments = CodeBlock.of("$N", parameter);
            }
            default -> {
                parameter = "args";
                List<CodeBlock> values = new ArrayList<>();
                for (String component : plan.localNames(method)) {
                    values.add(CodeBlock.of("args.$N()", component));
                }
                arguments = CodeBlock.join(values, ",$W");
            }
        }
        if (method.returnsVoid()) {
            return CodeBlock.of("$N -> {\n$>implementation.$N($L);\nreturn $T.UNIT;\n$<}", parameter, javaName,
                    arguments, RuntimeTypes.UNIT);
        }
        if (method.request() == ServicePlan.Request.SINGLE) {
            return CodeBlock.of("implementation::$N", javaName);
        }
        return CodeBlock.of("$N -> implementation.$N($L)", parameter, javaName, arguments);
    }
}
