package io.rapace.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Puts {@link ServerInterceptor}s in front of a {@link ServiceDispatcher}: the dispatcher returned serves the same
 * service and methods (names, ids, shapes, codecs), each call running through the interceptors before it reaches the
 * handler. Serve it like any dispatcher ({@code loopback.server().serve(...)}, {@code RpcSession.Builder.serve}). The
 * order follows gRPC-java's methods of the same names: {@link #intercept} runs the <em>last</em> interceptor given
 * first (it is the outermost), and {@link #interceptForward} runs the <em>first</em> given first. Intercepting an
 * intercepted dispatcher puts the new interceptors outside the old ones.
 */
public final class ServerInterceptors {

    private ServerInterceptors() {
    }

    /** {@code dispatcher} behind {@code interceptors}, the last of which sees each call first (gRPC-java's order). */
    public static ServiceDispatcher intercept(ServiceDispatcher dispatcher, ServerInterceptor... interceptors) {
        return intercept(dispatcher, List.of(interceptors));
    }

    /** {@code dispatcher} behind {@code interceptors}, the last of which sees each call first (gRPC-java's order). */
    public static ServiceDispatcher intercept(ServiceDispatcher dispatcher,
            List<? extends ServerInterceptor> interceptors) {
        List<ServerInterceptor> outermostFirst = new ArrayList<>(interceptors);
        Collections.reverse(outermostFirst);
        return new Intercepted(dispatcher, outermostFirst);
    }

    /** {@code dispatcher} behind {@code interceptors}, the first of which sees each call first. */
    public static ServiceDispatcher interceptForward(ServiceDispatcher dispatcher,
            ServerInterceptor... interceptors) {
        return interceptForward(dispatcher, List.of(interceptors));
    }

    /** {@code dispatcher} behind {@code interceptors}, the first of which sees each call first. */
    public static ServiceDispatcher interceptForward(ServiceDispatcher dispatcher,
            List<? extends ServerInterceptor> interceptors) {
        return new Intercepted(dispatcher, List.copyOf(interceptors));
    }

    /** The dispatcher under every layer of interceptors: the generated one, whose package holds its descriptor. */
    public static ServiceDispatcher innermost(ServiceDispatcher dispatcher) {
        ServiceDispatcher d = dispatcher;
        while (d instanceof Intercepted intercepted) {
            d = intercepted.dispatcher;
        }
        return d;
    }

    /** The methods of {@code dispatcher}, each running its calls through {@code interceptors} (outermost first). */
    private static final class Intercepted implements ServiceDispatcher {
        private final ServiceDispatcher dispatcher;
        private final List<ServerInterceptor> interceptors;

        Intercepted(ServiceDispatcher dispatcher, List<ServerInterceptor> interceptors) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            for (ServerInterceptor interceptor : interceptors) {
                Objects.requireNonNull(interceptor, "interceptor");
            }
            this.interceptors = List.copyOf(interceptors);
        }

        @Override
        public String serviceName() {
            return dispatcher.serviceName();
        }

        @Override
        public List<ServerMethod<?, ?>> methods() {
            List<ServerMethod<?, ?>> methods = new ArrayList<>();
            for (ServerMethod<?, ?> method : dispatcher.methods()) {
                methods.add(intercepted(method));
            }
            return List.copyOf(methods);
        }

        private <Q, R> ServerMethod<Q, R> intercepted(ServerMethod<Q, R> method) {
            ServerCall.Chain<Q, R> chain = new ServerCall.Chain<>(RpcMethod.of(method.kind(), serviceName(),
                    method.name(), method.id(), method.requestCodec(), method.responseCodec()), interceptors, method);
            return method.withInvoker(exchange -> chain.run(0, exchange));
        }

        @Override
        public String toString() {
            return dispatcher + " behind " + interceptors.size() + " interceptor(s)";
        }
    }
}
