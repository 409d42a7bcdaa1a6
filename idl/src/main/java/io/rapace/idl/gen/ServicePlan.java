package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.rapace.annotation.MethodKind;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Parameter;
import io.rapace.idl.model.Parameters;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.TypeRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the interface, the client, the dispatcher and the descriptor of one service share: the class names, each
 * method's id constant, Java signature, request value and codecs, and the codec constants the descriptor holds for
 * them. Decided once, in method order, so the four files agree and the output is deterministic.
 */
final class ServicePlan {

    /** How a method's request travels: nothing, one value, or the record of several named parameters. */
    enum Request {
        NONE, SINGLE, ARGS
    }

    /** A Java parameter: its name and schema type. */
    record Param(String name, TypeRef type) {
    }

    /** One method, as every generated file of the service sees it. */
    record MethodPlan(Method method, String idConstant, Request request, List<Param> params, String argsRecord,
            String argsCodec, CodeBlock requestCodec, CodeBlock responseCodec, String asyncName) {

        /** Whether the Java method returns nothing: a unary or client-streaming method without result. */
        boolean returnsVoid() {
            return !method.kind().streamsResponses() && method.responseType() instanceof TypeRef.Unit;
        }

        /** The name of the client's {@code RpcMethod} constant: the id constant's, without {@code _ID}. */
        String methodConstant() {
            return idConstant.substring(0, idConstant.length() - "_ID".length());
        }
    }

    private final Service service;
    private final SchemaIndex index;
    private final JavaTypes types;
    private final ClassName descriptor;
    private final CodecPool pool;
    private final List<MethodPlan> methods = new ArrayList<>();

    ServicePlan(Service service, SchemaIndex index, JavaTypes types) {
        this.service = service;
        this.index = index;
        this.types = types;
        this.descriptor = Names.descriptor(service);
        this.pool = new CodecPool(index, types);
        // SERVICE_NAME is the descriptor's; DESCRIPTOR (DESCRIPTOR_ID less its suffix) the client's
        Set<String> idConstants = new HashSet<>(Set.of("SERVICE_NAME", "DESCRIPTOR_ID"));
        Set<String> argsRecords = new HashSet<>();
        Set<String> javaNames = new HashSet<>();
        Set<String> asyncNames = new HashSet<>();
        for (Method method : service.methods()) {
            javaNames.add(method.javaName());
        }
        for (Method method : service.methods()) {
            String idConstant = unique(Names.idConstant(method), idConstants, "_ID");
            List<Param> params = params(method.parameters());
            Request request = params.isEmpty() ? Request.NONE : params.size() == 1 ? Request.SINGLE : Request.ARGS;
            String argsRecord = null;
            String argsCodec = null;
            CodeBlock requestCodec;
            if (request == Request.ARGS) {
                argsRecord = unique(Names.argsRecord(method), argsRecords, "Args");
                Set<String> components = new HashSet<>();
                for (Param param : params) {
                    components.add(param.name());
                }
                argsCodec = Names.unused("CODEC", components);
                requestCodec = CodeBlock.of("$T.$N", descriptor.nestedClass(argsRecord), argsCodec);
            } else if (request == Request.SINGLE) {
                // One named parameter is a 1-tuple, whose encoding is its element's.
                requestCodec = codec(params.get(0).type());
            } else {
                requestCodec = codec(method.requestType());
            }
            CodeBlock responseCodec = codec(method.responseType());
            // A unary method also gets fooAsync in the client, unless that name is taken.
            String asyncName = Names.stripEscape(method.javaName()) + "Async";
            if (method.kind() != MethodKind.UNARY || javaNames.contains(asyncName) || !asyncNames.add(asyncName)) {
                asyncName = null;
            }
            methods.add(new MethodPlan(method, idConstant, request, params, argsRecord, argsCodec, requestCodec,
                    responseCodec, asyncName));
        }
    }

    Service service() {
        return service;
    }

    List<MethodPlan> methods() {
        return methods;
    }

    /** The descriptor's shared codec constants. */
    CodecPool pool() {
        return pool;
    }

    ClassName descriptor() {
        return descriptor;
    }

    /** The method of the service interface: its Java signature, without modifiers or body. */
    MethodSpec.Builder signature(MethodPlan plan) {
        List<String> names = new ArrayList<>();
        for (Param param : plan.params()) {
            names.add(param.name());
        }
        return signature(plan, names);
    }

    /** The signature with parameters named {@code names}: an implementation may name them as it likes. */
    MethodSpec.Builder signature(MethodPlan plan, List<String> names) {
        Method method = plan.method();
        MethodSpec.Builder java = MethodSpec.methodBuilder(method.javaName());
        if (method.kind().streamsRequests()) {
            Param param = plan.params().get(0);
            java.addParameter(ParameterSpec.builder(stream(param.type()), names.get(0)).build());
        } else {
            for (int i = 0; i < plan.params().size(); i++) {
                java.addParameter(types.parameter(plan.params().get(i).type(), names.get(i)));
            }
        }
        if (method.kind().streamsResponses()) {
            java.returns(stream(method.responseType()));
        } else {
            java.returns(types.result(method.responseType()));
        }
        return java;
    }

    /** The request as the client passes it: {@code Unit.UNIT}, the parameter, or a new request record. */
    CodeBlock requestValue(MethodPlan plan, List<String> names) {
        return switch (plan.request()) {
            case NONE -> CodeBlock.of("$T.UNIT", RuntimeTypes.UNIT);
            case SINGLE -> CodeBlock.of("$N", names.get(0));
            case ARGS -> {
                List<CodeBlock> values = new ArrayList<>();
                for (String name : names) {
                    values.add(CodeBlock.of("$N", name));
                }
                yield CodeBlock.of("new $T($L)", descriptor.nestedClass(plan.argsRecord()),
                        CodeBlock.join(values, ", "));
            }
        };
    }

    /** The request type (a request stream's element type) as a type argument: boxed, a record, {@code Unit}. */
    TypeName requestTypeArgument(MethodPlan plan) {
        return switch (plan.request()) {
            case NONE -> types.typeArgument(plan.method().requestType());
            case SINGLE -> types.typeArgument(plan.params().get(0).type());
            case ARGS -> descriptor.nestedClass(plan.argsRecord());
        };
    }

    /** {@code RpcStream<T>}, with {@code T} boxed. */
    TypeName stream(TypeRef element) {
        return ParameterizedTypeName.get(RuntimeTypes.RPC_STREAM, types.typeArgument(element));
    }

    /** {@code type} as a type argument: boxed, annotated, {@code Unit} for {@code ()}. */
    TypeName typeArgument(TypeRef type) {
        return types.typeArgument(type);
    }

    private CodeBlock codec(TypeRef type) {
        CodeBlock codec = pool.codec(type);
        if (type instanceof TypeRef.OptionOf || type instanceof TypeRef.ListOf || type instanceof TypeRef.MapOf
                || type instanceof TypeRef.ArrayOf) {
            return CodeBlock.of("$T.$L", descriptor, codec);
        }
        return codec;
    }

    private static List<Param> params(Parameters parameters) {
        List<Param> params = new ArrayList<>();
        if (parameters instanceof Parameters.Single single) {
            params.add(new Param(single.javaName(), single.type()));
        } else if (parameters instanceof Parameters.Named named) {
            for (Parameter parameter : named.parameters()) {
                params.add(new Param(parameter.javaName(), parameter.type()));
            }
        }
        return params;
    }

    /**
     * The parameter names in the client, and the components of a method's request record: the names of the schema,
     * except that one that would obscure a class the code names ({@code Arrays}, {@code java}) gets another. Both
     * are free to choose: an implementation names its parameters as it likes, and the record is internal.
     */
    List<String> localNames(MethodPlan plan) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Param param : plan.params()) {
            taken.add(param.name());
        }
        for (Param param : plan.params()) {
            taken.remove(param.name());
            String name = index.local(param.name(), taken);
            taken.add(name);
            names.add(name);
        }
        return names;
    }

    /** {@code name}, or with {@code _2}, {@code _3} before {@code suffix} until it is not in {@code taken}. */
    private static String unique(String name, Set<String> taken, String suffix) {
        String base = name.substring(0, name.length() - suffix.length());
        String unique = name;
        for (int n = 2; !taken.add(unique); n++) {
            unique = base + "_" + n + suffix;
        }
        return unique;
    }
}
