package io.rapace.grpc;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.rapace.registry.SchemaFingerprint;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcMethod;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The words of a schema refusal over gRPC, as a rapace session words it ({@code docs/compatibility.md}, "The schema
 * check"): the server refuses a call whose fingerprint differs from its own with FAILED_PRECONDITION and its
 * fingerprint in the {@value Headers#FINGERPRINT} trailer; the caller then compares its registry entry of the service
 * with the one the server serves as {@code rapace.Registry/Fetch}, and names the method and the first type that
 * differs on each side. Worked out once per method of one channel; without the server's registry (or one of its own)
 * the caller keeps the server's plain words.
 */
final class SchemaRefusals {
    /** How long the caller waits for the server's registry to word a refusal. */
    private static final Duration ASK = Duration.ofSeconds(2);

    private final Channel channel;
    private final Map<Integer, String> details = new ConcurrentHashMap<>();

    SchemaRefusals(Channel channel) {
        this.channel = channel;
    }

    /** True when {@code trailers} are those of a schema refusal. */
    static boolean isRefusal(io.grpc.Status status, Metadata trailers) {
        return status.getCode() == io.grpc.Status.Code.FAILED_PRECONDITION && trailers != null
                && trailers.containsKey(Headers.FINGERPRINT_KEY);
    }

    /**
     * The refusal of a call of {@code method} in words naming what differs; {@code plain} when they cannot be found.
     * Blocks for the server's registry the first time (never call it on gRPC's callback thread).
     */
    RpcException explain(RpcMethod<?, ?> method, RpcException plain) {
        String detail = details.computeIfAbsent(method.id(), id -> find(method).orElse(""));
        if (detail.isEmpty()) {
            return plain;
        }
        return new RpcException(ErrorCode.FAILED_PRECONDITION, "schema mismatch with " + channel.authority() + ": "
                + detail);
    }

    private Optional<String> find(RpcMethod<?, ?> method) {
        Optional<ServiceDescriptor> local = ServiceRegistry.entry(method.serviceName(), method.id(),
                method.fingerprint(), method.requestCodec().getClass().getClassLoader());
        if (local.isEmpty()) {
            return Optional.empty();
        }
        try {
            return RapaceGrpc.fetchRegistry(channel, ASK).service(method.serviceName())
                    .flatMap(served -> SchemaFingerprint.difference(local.get(), served, method.id()));
        } catch (RpcException e) {
            return Optional.empty(); // the server serves no registry (or not now): its own words stand
        }
    }
}
