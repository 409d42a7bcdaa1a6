package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.MethodKinds;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code FooClient}: implements {@code Foo} over any {@code CallChannel} (a loopback end, a session). Each method is
 * one call of the channel with the method id, the request and its codec, the response codec and the client's
 * options; a unary method also gets {@code fooAsync}, returning a {@code CompletableFuture}.
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
                        + " call\nthrows {@link $T}.\n", service, RuntimeTypes.CALL_CHANNEL, RuntimeTypes.RPC_EXCEPTION)
                .addField(FieldSpec.builder(RuntimeTypes.CALL_CHANNEL, "channel", Modifier.PRIVATE, Modifier.FINAL)
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

    /** {@code [return ]channel.<kind>(ID, request, requestCodec, responseCodec, options)}. */
    private static CodeBlock call(ServicePlan plan, ServicePlan.MethodPlan method, String callName,
            boolean returns) {
        List<String> names = plan.localNames(method);
        String self = names.contains("channel") || names.contains("options") ? "this." : "";
        CodeBlock request = MethodKinds.streamsRequests(method.method().kind())
                ? CodeBlock.of("$N", names.get(0)) : plan.requestValue(method, names);
        return CodeBlock.of("$L$Lchannel.$L($T.$N,$W$L,$W$L,$W$L,$W$Loptions)", returns ? "return " : "", self,
                callName, plan.descriptor(), method.idConstant(), request, method.requestCodec(),
                method.responseCodec(), self);
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
