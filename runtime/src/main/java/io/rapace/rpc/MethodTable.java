package io.rapace.rpc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods a transport serves, by id, each with the name of its service for error messages. Routing is by method
 * id, so two dispatchers must not share one: {@link #register} refuses the second, naming both methods.
 */
final class MethodTable {
    /** A method served, with its service's name. */
    record Served(String service, ServerMethod<?, ?> method) {

        /** The method as interceptors see it: the service's name and the method's name, id, shape and codecs. */
        RpcMethod<?, ?> asRpcMethod() {
            return asRpcMethod(service, method);
        }

        private static <Q, R> RpcMethod<Q, R> asRpcMethod(String service, ServerMethod<Q, R> method) {
            return RpcMethod.of(method.kind(), service, method.name(), method.id(), method.requestCodec(),
                    method.responseCodec());
        }
    }

    private final Map<Integer, Served> served = new ConcurrentHashMap<>();

    /**
     * Serves every method of {@code dispatcher}, or none of them.
     *
     * @throws IllegalArgumentException if one of its method ids is already served here, or appears twice in it
     */
    void register(ServiceDispatcher dispatcher) {
        String service = Objects.requireNonNull(dispatcher, "dispatcher").serviceName();
        List<ServerMethod<?, ?>> methods = List.copyOf(dispatcher.methods());
        synchronized (served) {
            Map<Integer, ServerMethod<?, ?>> own = new HashMap<>();
            for (ServerMethod<?, ?> method : methods) {
                String id = Integer.toUnsignedString(method.id());
                ServerMethod<?, ?> twin = own.putIfAbsent(method.id(), method);
                if (twin != null) {
                    throw new IllegalArgumentException("cannot serve " + service + ": methods " + twin.name()
                            + " and " + method.name() + " share the id " + id);
                }
                Served other = served.get(method.id());
                if (other != null) {
                    throw new IllegalArgumentException("cannot serve " + service + ": method id " + id + " ("
                            + method.name() + ") is already served by " + other.service() + " ("
                            + other.method().name() + ")");
                }
            }
            for (ServerMethod<?, ?> method : methods) {
                served.put(method.id(), new Served(service, method));
            }
        }
    }

    /** A table with the same methods, registered on from now on independently of this one. */
    MethodTable copy() {
        MethodTable copy = new MethodTable();
        copy.served.putAll(served);
        return copy;
    }

    /** The method with this id, or null. */
    Served get(int methodId) {
        return served.get(methodId);
    }

    /** The ids served. */
    Set<Integer> ids() {
        return Set.copyOf(served.keySet());
    }
}
