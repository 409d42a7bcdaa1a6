package io.rapace.rpc;

import io.rapace.registry.SchemaFingerprint;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.session.Hello;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema check of one session ({@code docs/compatibility.md}, "The schema check"). The peer's Hello carries the
 * fingerprint of each method it serves; a call whose {@link RpcMethod} carries a different one (generated clients
 * take theirs from their own registry entry) fails at once with {@link ErrorCode#FAILED_PRECONDITION}, naming the
 * method and the first type that differs on each side. When the session starts, the methods the peer serves are also
 * compared with the registry entries on this side's class path, so a host learns of every mismatch at once.
 */
final class SchemaCheck {
    private static final System.Logger LOG = System.getLogger(RpcSession.class.getName());
    /** How long working out the words of a mismatch may wait for the peer's registry entry. */
    private static final Duration ASK = Duration.ofSeconds(2);
    /** Marks the peer's registry as asked for, in the cache of {@link #analyse}. */
    private static final ServiceDescriptor EMPTY = new ServiceDescriptor("(asked)", "1.0", "", List.of(), List.of());

    private final RpcSession rpc;
    private final Map<Integer, String> details = new ConcurrentHashMap<>();
    private volatile List<SchemaMismatch> found = List.of();

    SchemaCheck(RpcSession rpc) {
        this.rpc = rpc;
    }

    /** The peer's fingerprints, sorted by id, for a lookup without boxing on every call. */
    private record Index(Hello hello, int[] ids, long[] fingerprints) {
    }

    private volatile Index index;

    /** The fingerprint {@code peer} announced for {@code methodId}, 0 for none. */
    private long fingerprintOf(Hello peer, int methodId) {
        Index i = index;
        if (i == null || i.hello() != peer) {
            int[] ids = peer.fingerprints().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            long[] values = new long[ids.length];
            for (int k = 0; k < ids.length; k++) {
                values[k] = peer.fingerprints().get(ids[k]);
            }
            i = new Index(peer, ids, values);
            index = i;
        }
        int at = java.util.Arrays.binarySearch(i.ids(), methodId);
        return at < 0 ? 0 : i.fingerprints()[at];
    }

    List<SchemaMismatch> mismatches() {
        return found;
    }

    /**
     * The refusal of a call of {@code method} to a peer whose Hello is {@code peer}, or null when it may go. Working
     * out its words the first time may ask the peer for its registry entry, within the call's deadline.
     */
    RpcException refusal(RpcMethod<?, ?> method, Hello peer, CallOptions options) {
        long mine = method.fingerprint();
        if (mine == 0 || peer == null) {
            return null;
        }
        long theirs = fingerprintOf(peer, method.id());
        if (theirs == 0 || theirs == mine) {
            return null;
        }
        String detail = details.get(method.id());
        if (detail == null) {
            Duration ask = options.timeout().filter(t -> t.compareTo(ASK) < 0).orElse(ASK);
            detail = explain(method, mine, theirs, ask);
            details.putIfAbsent(method.id(), detail); // the words found, or the plain ones: asked once
        }
        return new RpcException(ErrorCode.FAILED_PRECONDITION, "schema mismatch with " + rpc.peerId() + ": "
                + detail);
    }

    private String explain(RpcMethod<?, ?> method, long mine, long theirs, Duration ask) {
        String plain = "method " + method.serviceName() + "." + method.name() + " (" + Integer.toUnsignedString(
                method.id()) + ") has schema fingerprint " + SchemaFingerprint.hex(mine) + " here and "
                + SchemaFingerprint.hex(theirs) + " on the peer";
        if (CallFrames.delivering()) {
            return plain; // the thread that reads the peer's frames cannot wait for its answer
        }
        Optional<ServiceDescriptor> local = ServiceRegistry.entry(method.serviceName(), method.id(), mine,
                method.requestCodec().getClass().getClassLoader());
        if (local.isEmpty()) {
            return plain;
        }
        try {
            ServiceDescriptor peer = rpc.getService(method.serviceName(), ask);
            return SchemaFingerprint.difference(local.get(), peer, method.id()).orElse(plain);
        } catch (RpcException e) {
            return plain;
        }
    }

    /**
     * Compares each method the peer serves with the registry entries of this side's class path that have its id
     * (none: this side does not use that API, nothing to compare); when none of them has the peer's fingerprint, the
     * method is a mismatch, explained from the peer's registry entry. Logged once each, at WARNING.
     */
    void analyse(Hello peer, ClassLoader loader) {
        if (peer == null || peer.fingerprints().isEmpty()) {
            return;
        }
        List<ServiceDescriptor> locals = ServiceRegistry.listed(loader);
        List<SchemaMismatch> mismatches = new ArrayList<>();
        Map<String, ServiceDescriptor> peerServices = new java.util.HashMap<>();
        for (Map.Entry<Integer, Long> announced : peer.fingerprints().entrySet()) {
            int id = announced.getKey();
            List<ServiceDescriptor> having = locals.stream().filter(d -> d.method(id).isPresent()).toList();
            if (having.isEmpty() || having.stream().anyMatch(d -> d.fingerprint(id) == announced.getValue())) {
                continue;
            }
            Optional<ServiceDescriptor> theirs = peerService(id, peerServices);
            if (theirs.isEmpty()) {
                continue;
            }
            ServiceDescriptor peerService = theirs.get();
            Optional<ServiceDescriptor> mine = having.stream().filter(d -> d.name().equals(peerService.name()))
                    .findFirst();
            if (mine.isEmpty()) {
                continue; // another service that happens to use the same id
            }
            String detail = SchemaFingerprint.difference(mine.get(), peerService, id).orElse("method "
                    + peerService.name() + " " + Integer.toUnsignedString(id) + " differs");
            details.put(id, detail);
            mismatches.add(new SchemaMismatch(peerService.name(), peerService.method(id).orElseThrow().name(), id,
                    detail));
            LOG.log(Level.WARNING, "schema mismatch with " + rpc.peerId() + ": " + detail
                    + "; its calls fail with FAILED_PRECONDITION");
        }
        mismatches.sort((a, b) -> (a.service() + "." + a.method()).compareTo(b.service() + "." + b.method()));
        found = List.copyOf(mismatches);
    }

    /** The peer's service that has method {@code id}, asking for its registry once (a failure is not retried). */
    private Optional<ServiceDescriptor> peerService(int id, Map<String, ServiceDescriptor> cache) {
        if (cache.isEmpty()) {
            try {
                for (String name : rpc.listServices(ASK)) {
                    cache.put(name, rpc.getService(name, ASK));
                }
            } catch (RpcException e) {
                LOG.log(Level.DEBUG, "could not fetch the peer's registry for the schema check: " + e.getMessage());
            }
            cache.putIfAbsent("", EMPTY); // asked: not again
        }
        return cache.values().stream().filter(d -> d.method(id).isPresent()).findFirst();
    }
}
