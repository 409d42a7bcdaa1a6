package io.rapace.rpc;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The interceptors the interceptor tests install, shared by the loopback test and the child process of the
 * two-process test, so both sides behave alike whatever the transport. The server side writes one line per event to a
 * sink (a queue here, standard output in the child):
 * <pre>
 * start &lt;method name&gt; &lt;KIND&gt; trace=&lt;trace-id metadata or -&gt; deadline=&lt;yes|no&gt;
 * end &lt;method name&gt; &lt;OK|CODE&gt; requests=&lt;taken&gt; responses=&lt;sent&gt;
 * </pre>
 */
final class InterceptorFixture {
    /** The metadata key the client adds and the server's recorder reads. */
    static final String TRACE = "trace-id";
    /** A call with this metadata key is refused by the server's guard. */
    static final String DENY = "deny";
    /** A call with this metadata key is reported by a {@link CallObserver}'s server interceptor too. */
    static final String OBSERVE = "observe";

    private InterceptorFixture() {
    }

    /**
     * {@code dispatcher} behind the server-side interceptors: a recorder (outermost), which reports each call's
     * metadata, deadline, requests, responses and outcome to {@code events}, then a guard, which refuses a call that
     * carries the {@link #DENY} metadata with {@code PERMISSION_DENIED}, then a {@link CallObserver}'s server
     * interceptor for calls that carry the {@link #OBSERVE} metadata, which reports
     * {@code observed <method id> <CODE> in=<bytes received> out=<bytes sent>}.
     */
    static ServiceDispatcher serverSide(ServiceDispatcher dispatcher, Consumer<String> events) {
        return ServerInterceptors.interceptForward(dispatcher, recorder(events), guard(), observed(events));
    }

    static ServerInterceptor observed(Consumer<String> events) {
        CallObserver observer = event -> events.accept("observed " + Integer.toUnsignedString(event.methodId()) + " "
                + event.code() + " in=" + event.bytesReceived() + " out=" + event.bytesSent());
        ServerInterceptor reporting = observer.serverInterceptor();
        return (method, context, next) -> {
            if (context.metadata().stream().anyMatch(e -> e.key().equals(OBSERVE))) {
                reporting.intercept(method, context, next);
            } else {
                next.proceed();
            }
        };
    }

    static ServerInterceptor recorder(Consumer<String> events) {
        return (method, context, next) -> {
            String trace = context.metadata().stream().filter(e -> e.key().equals(TRACE))
                    .map(e -> new String(e.value(), StandardCharsets.UTF_8)).findFirst().orElse("-");
            events.accept("start " + method.name() + " " + method.kind() + " trace=" + trace + " deadline="
                    + (context.remaining().isPresent() ? "yes" : "no"));
            AtomicInteger requests = new AtomicInteger();
            AtomicInteger responses = new AtomicInteger();
            next.onRequest(request -> requests.incrementAndGet());
            next.onResponse(response -> responses.incrementAndGet());
            String outcome = "OK";
            try {
                next.proceed();
            } catch (RpcException e) {
                outcome = e.code().toString();
                throw e;
            } finally {
                events.accept("end " + method.name() + " " + outcome + " requests=" + requests + " responses="
                        + responses);
            }
        };
    }

    static ServerInterceptor guard() {
        return (method, context, next) -> {
            if (context.metadata().stream().anyMatch(e -> e.key().equals(DENY))) {
                throw new RpcException(ErrorCode.PERMISSION_DENIED, "denied by the server's interceptor: " + method);
            }
            next.proceed();
        };
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
