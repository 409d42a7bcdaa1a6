package io.rapace.plugin;

import static io.rapace.plugin.HostContext.LOG;

import io.rapace.registry.SchemaFingerprint;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@link PluginHost.PluginHandle#replace}: the new version is started beside the running one; if its schemas agree
 * (or the caller allows changes) the handle is switched to it, so every new call goes there; the old version gets the
 * drain timeout to finish the calls it has, what is still open then ends with {@code UNAVAILABLE}, and it is shut down
 * in order. The old version is quiet from the switch on: its last state changes are logged, not the plugin's.
 */
final class PluginReplace {
    private static final Duration ASK = Duration.ofSeconds(5);

    private PluginReplace() {
    }

    static void replace(PluginHost.PluginHandle handle, PluginSpec spec, ReplaceOptions options, HostContext host)
            throws IOException {
        PluginSupervisor old = handle.supervisor;
        String id = old.id();
        if (host.isClosed()) {
            throw new IllegalStateException("the plugin host is closed");
        }
        if (old.state() != PluginState.RUNNING) {
            throw new IllegalStateException("plugin " + id + " is " + old.state().displayName()
                    + "; only a running plugin can be replaced");
        }
        RpcSession oldSession = old.session;
        PluginSupervisor next = old.successor(spec);
        next.quiet = true; // until it takes over, the plugin is the running version
        handle.other = next; // a host that closes meanwhile stops it too
        try {
            next.startIncarnation("replacing pid " + old.pid());
        } catch (IOException e) {
            PluginShutdown.stop(next, host); // a restart its policy may have scheduled never comes
            handle.other = null;
            throw new IOException("plugin " + id + " was not replaced: its new version did not start: "
                    + e.getMessage(), e);
        }
        List<String> changes = schemaChanges(oldSession, next.session);
        if (!changes.isEmpty() && !options.allowSchemaChanges()) {
            PluginShutdown.stop(next, host);
            handle.other = null;
            throw new IOException("plugin " + id + " was not replaced: the new version's schemas differ from the "
                    + "running version's (" + String.join("; ", changes) + "); replace with "
                    + "ReplaceOptions.allowingSchemaChanges() to replace it anyway");
        }
        for (String change : changes) {
            LOG.log(Level.WARNING, "plugin " + id + ": replaced although " + change);
        }
        next.quiet = false;
        synchronized (handle) { // close() reads the pair under the same monitor: it stops both, whichever they are
            handle.other = old;
            handle.supervisor = next; // every call routed from now on goes to the new version
        }
        old.markReplaced();
        next.watchIdle();
        LOG.log(Level.INFO, "plugin " + id + ": pid " + next.pid() + " replaces pid " + old.pid()
                + "; draining the old version for up to " + options.drainTimeout().toMillis() + " ms");
        try {
            drain(old, oldSession, options.drainTimeout());
            PluginShutdown.stop(old, host);
        } finally {
            handle.other = null;
        }
    }

    /** Waits for the old version's calls to finish, up to {@code timeout}; ends the rest with UNAVAILABLE. */
    private static void drain(PluginSupervisor old, RpcSession session, Duration timeout) {
        if (session == null) {
            return;
        }
        long until = System.nanoTime() + timeout.toNanos();
        while ((old.routing() > 0 || session.callsInFlight() > 0) && session.isOpen()
                && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = session.callsInFlight();
        if (left > 0 && session.isOpen()) {
            LOG.log(Level.INFO, "plugin " + old.id() + ": " + left + " calls of the replaced version still open after "
                    + timeout.toMillis() + " ms end with UNAVAILABLE");
            session.failCalls(ErrorCode.UNAVAILABLE, "plugin " + old.id() + " was replaced: call again");
        }
    }

    /**
     * Each method the running version serves that the new one serves with another schema, or no longer serves, in
     * words; empty when they agree (methods only the new version serves are no change).
     */
    static List<String> schemaChanges(RpcSession running, RpcSession next) {
        if (running == null || next == null) {
            return List.of();
        }
        Map<Integer, Long> before = running.peerFingerprints();
        Map<Integer, Long> after = next.peerFingerprints();
        List<Integer> changed = new ArrayList<>();
        for (int methodId : new TreeSet<>(before.keySet())) {
            if (!before.get(methodId).equals(after.get(methodId))) {
                changed.add(methodId);
            }
        }
        if (changed.isEmpty()) {
            return List.of();
        }
        ServiceRegistry was;
        ServiceRegistry is;
        try {
            was = running.fetchRegistry(ASK);
            is = next.fetchRegistry(ASK);
        } catch (RpcException e) {
            List<String> plain = new ArrayList<>();
            for (int methodId : changed) {
                plain.add("method " + Integer.toUnsignedString(methodId) + " differs (" + e.getMessage() + ")");
            }
            return plain;
        }
        List<String> changes = new ArrayList<>();
        for (int methodId : changed) {
            Optional<ServiceDescriptor> a = serviceOf(was, methodId);
            Optional<ServiceDescriptor> b = serviceOf(is, methodId);
            if (a.isPresent() && b.isEmpty()) {
                changes.add("method " + a.get().name() + "." + a.get().method(methodId).orElseThrow().name()
                        + " is no longer served");
            } else if (a.isPresent()) {
                changes.add(SchemaFingerprint.difference(a.get(), b.get(), methodId, "in the running version",
                        "in the new version").orElse("method " + Integer.toUnsignedString(methodId) + " differs"));
            } else {
                changes.add("method " + Integer.toUnsignedString(methodId) + " differs");
            }
        }
        changes.sort(null); // by service and method name
        return changes;
    }

    private static Optional<ServiceDescriptor> serviceOf(ServiceRegistry registry, int methodId) {
        return registry.services().stream().filter(s -> s.method(methodId).isPresent()).findFirst();
    }
}
