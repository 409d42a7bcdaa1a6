package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.Method;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code FooClient}: implements {@code Foo} over any {@code CallChannel} (a loopback end, a session). It holds one
 * {@code RpcMethod} constant per method (service name, method name, id, shape, codecs), and each method is one call of
 * the channel with that constant, the request and the client's options; a unary method also gets {@code fooAsync},
 * returning a {@code CompletableFuture}.
 */
final class ClientGenerator {

    private ClientGenerator() {
    }

    static TypeSpec generate(ServicePlan plan, String... qualify) {
        ClassName service = Names.service(plan.service());
        ClassName client = Names.client(plan.service());
        TypeSpec.Builder java = TypeSpec.classBuilder(client)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(service)
                .addJavadoc("Calls {@link $T} through a {@link $T}: an end of a {@code Loopback}, or a session. A failed"
                        + " call\nthrows {@link $T}.\n", service, RuntimeTypes.CALL_CHANNEL, RuntimeTypes.RPC_EXCEPTION);
        java.addField(FieldSpec.builder(plan.descriptor(), "DESCRIPTOR", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("The registry entry the constants take their schema fingerprints from.\n")
                .initializer("new $T()", plan.descriptor())
                .build());
        for (ServicePlan.MethodPlan method : plan.methods()) {
            java.addField(constant(plan, method));
        }
        java.addField(FieldSpec.builder(RuntimeTypes.CALL_CHANNEL, "channel", Modifier.PRIVATE, Modifier.FINAL)
                        .build())
                .addField(FieldSpec.builder(RuntimeTypes.CALL_OPTIONS, "options", Modifier.PRIVATE, Modifier.FINAL)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .addJavadoc("A client whose calls have no deadline and no metadata.\n")
                        .addParameter(RuntimeTypes.CALL_CHANNEL, "channel")
                        .addStatement("this(channel, $T.DEFAULT)", RuntimeTypes.CALL_OPTIONS)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .addJavadoc("A client whose calls use {@code options} (deadline, metadata).\n")
                        .addParameter(RuntimeTypes.CALL_CHANNEL, "channel")
                        .addParameter(RuntimeTypes.CALL_OPTIONS, "options")
                        .addStatement("this.channel = $T.requireNonNull(channel, $S)", RuntimeTypes.OBJECTS,
                                "channel")
                        .addStatement("this.options = $T.requireNonNull(options, $S)", RuntimeTypes.OBJECTS,
                                "options")
                        .build())
                .addMethod(MethodSpec.methodBuilder("withOptions")
                        .addModifiers(Modifier.PUBLIC)
                        .addJavadoc("A client on the same channel whose calls use {@code options} (deadline,"
                                + " metadata).\n")
                        .returns(client)
                        .addParameter(RuntimeTypes.CALL_OPTIONS, "options")
                        .addStatement("return new $T(channel, options)", client)
                        .build());
        for (ServicePlan.MethodPlan method : plan.methods()) {
            java.addMethod(plan.signature(method, plan.localNames(method))
                    .addAnnotation(RuntimeTypes.OVERRIDE)
                    .addModifiers(Modifier.PUBLIC)
                    .addStatement(call(plan, method, callName(method.method()), !method.returnsVoid()))
                    .build());
            if (method.asyncName() != null) {
                java.addMethod(async(plan, method));
            }
        }
        return java.alwaysQualify(qualify).build();
    }

    /**
     * {@code public static final RpcMethod<Q, R> NAME = RpcMethod.<kind>(SERVICE_NAME, "name", ID, codecs)
     * .withFingerprint(DESCRIPTOR.fingerprint(ID))}.
     */
    private static FieldSpec constant(ServicePlan plan, ServicePlan.MethodPlan method) {
        Method model = method.method();
        TypeName type = ParameterizedTypeName.get(RuntimeTypes.RPC_METHOD, plan.requestTypeArgument(method),
                plan.typeArgument(model.responseType()));
        return FieldSpec.builder(type, method.methodConstant(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code $L}, as calls and interceptors see it.\n", model.name())
                .initializer("$T.$L($Z$T.SERVICE_NAME,$W$S,$W$T.$N,$W$L,$W$L)$Z.withFingerprint("
                        + "DESCRIPTOR.fingerprint($T.$N))", RuntimeTypes.RPC_METHOD,
                        callName(model), plan.descriptor(), model.name(), plan.descriptor(), method.idConstant(),
                        method.requestCodec(), method.responseCodec(), plan.descriptor(), method.idConstant())
                .build();
    }

    private static MethodSpec async(ServicePlan plan, ServicePlan.MethodPlan method) {
        MethodSpec signature = plan.signature(method, plan.localNames(method)).build();
        return MethodSpec.methodBuilder(method.asyncName())
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@link #$N}, without waiting; cancelling the future cancels the call.\n",
                        method.method().javaName())
                .addParameters(signature.parameters())
                .returns(ParameterizedTypeName.get(RuntimeTypes.COMPLETABLE_FUTURE,
                        plan.typeArgument(method.method().responseType())))
                .addStatement(call(plan, method, "unaryAsync", true))
                .build();
    }

    /**
     * {@code [return ]channel.<kind>(NAME, request, options)}; the constant is qualified with the client's name when a
     * parameter has its name.
     */
    private static CodeBlock call(ServicePlan plan, ServicePlan.MethodPlan method, String callName,
            boolean returns) {
        List<String> names = plan.localNames(method);
        String self = names.contains("channel") || names.contains("options") ? "this." : "";
        CodeBlock request = method.method().kind().streamsRequests()
                ? CodeBlock.of("$N", names.get(0)) : plan.requestValue(method, names);
        CodeBlock constant = names.contains(method.methodConstant())
                ? CodeBlock.of("$T.$N", Names.client(plan.service()), method.methodConstant())
                : CodeBlock.of("$N", method.methodConstant());
        return CodeBlock.of("$L$Lchannel.$L($L,$W$L,$W$Loptions)", returns ? "return " : "", self, callName,
                constant, request, self);
    }

    private static String callName(Method method) {
        return switch (method.kind()) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "clientStreaming";
            case SERVER_STREAMING -> "serverStreaming";
            case BIDI_STREAMING -> "bidiStreaming";
        };
    }
}
