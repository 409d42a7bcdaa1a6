package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import java.util.Map;
import java.util.Set;

/** The runtime and JDK classes generated code refers to. Generated code uses public runtime API only. */
final class RuntimeTypes {

    static final ClassName UNSIGNED = ClassName.get("io.rapace.annotation", "Unsigned");
    static final ClassName CODE_POINT = ClassName.get("io.rapace.annotation", "CodePoint");
    static final ClassName FIXED = ClassName.get("io.rapace.annotation", "Fixed");
    static final ClassName METHOD_KIND = ClassName.get("io.rapace.annotation", "MethodKind");

    static final ClassName CODEC = ClassName.get("io.rapace.codec", "Codec");
    static final ClassName CODECS = ClassName.get("io.rapace.codec", "Codecs");
    static final ClassName INT_KIND = CODECS.nestedClass("IntKind");
    static final ClassName POSTCARD_READER = ClassName.get("io.rapace.codec", "PostcardReader");
    static final ClassName POSTCARD_WRITER = ClassName.get("io.rapace.codec", "PostcardWriter");
    static final ClassName DECODE_EXCEPTION = ClassName.get("io.rapace.codec", "DecodeException");
    static final ClassName UNIT = ClassName.get("io.rapace.codec", "Unit");

    static final ClassName CALL_CHANNEL = ClassName.get("io.rapace.rpc", "CallChannel");
    static final ClassName CALL_OPTIONS = ClassName.get("io.rapace.rpc", "CallOptions");
    static final ClassName RPC_STREAM = ClassName.get("io.rapace.rpc", "RpcStream");
    static final ClassName RPC_EXCEPTION = ClassName.get("io.rapace.rpc", "RpcException");
    static final ClassName RPC_METHOD = ClassName.get("io.rapace.rpc", "RpcMethod");
    static final ClassName SERVER_METHOD = ClassName.get("io.rapace.rpc", "ServerMethod");
    static final ClassName SERVICE_DISPATCHER = ClassName.get("io.rapace.rpc", "ServiceDispatcher");

    static final ClassName SERVICE_DESCRIPTOR = ClassName.get("io.rapace.registry", "ServiceDescriptor");
    static final ClassName METHOD_DESCRIPTOR = ClassName.get("io.rapace.registry", "MethodDescriptor");
    static final ClassName REGISTRY_FIELD = ClassName.get("io.rapace.registry", "Field");
    static final ClassName REGISTRY_TYPE_REF = ClassName.get("io.rapace.registry", "TypeRef");
    static final ClassName TYPE_SCHEMA = ClassName.get("io.rapace.registry", "TypeSchema");

    static final ClassName BIG_INTEGER = ClassName.get("java.math", "BigInteger");
    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
    static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
    static final ClassName VALUES = ClassName.get("io.rapace.codec", "Values");
    static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");

    static final ClassName STRING = ClassName.get("java.lang", "String");
    static final ClassName OBJECT = ClassName.get("java.lang", "Object");
    static final ClassName OVERRIDE = ClassName.get("java.lang", "Override");
    static final ClassName SUPPRESS_WARNINGS = ClassName.get("java.lang", "SuppressWarnings");
    static final ClassName ILLEGAL_ARGUMENT_EXCEPTION = ClassName.get("java.lang", "IllegalArgumentException");
    static final ClassName FLOAT = ClassName.get("java.lang", "Float");
    static final ClassName DOUBLE = ClassName.get("java.lang", "Double");

    /** The simple names of every class above, and the boxes of the primitives. */
    static final Set<String> SIMPLE_NAMES = Set.of("Unsigned", "CodePoint", "Fixed", "MethodKind", "Codec", "Codecs",
            "IntKind", "PostcardReader", "PostcardWriter", "DecodeException", "Unit", "CallChannel", "CallOptions",
            "RpcStream", "RpcException", "RpcMethod", "ServerMethod", "ServiceDispatcher", "ServiceDescriptor",
            "MethodDescriptor", "Field", "TypeRef", "TypeSchema", "BigInteger", "List", "Map", "Optional", "Objects", "Arrays",
            "CompletableFuture", "String", "Object", "Override", "SuppressWarnings", "IllegalArgumentException",
            "Float", "Double", "Boolean", "Byte", "Short", "Integer", "Long", "java", "io");

    /**
     * The member classes generated code names through a runtime class ({@code Codecs.IntKind}, {@code TypeRef.Named}),
     * by the simple name of that class: JavaPoet's {@code alwaysQualify} looks at a class's own simple name only, so
     * spelling {@code TypeRef} in full takes its members' names too.
     */
    static final Map<String, Set<String>> MEMBER_NAMES = Map.of(
            "Codecs", Set.of("IntKind"),
            "TypeRef", Set.of("OptionOf", "ListOf", "MapOf", "ArrayOf", "Named"),
            "TypeSchema", Set.of("Struct", "Enum", "Variant"));

    private RuntimeTypes() {
    }
}
