package io.rapace.plugin;

import io.rapace.plugin.stat.StatRow;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one plugin: calls, errors, bytes, a latency histogram, restarts and the current state. Counting is
 * lock-free ({@link LongAdder}s and an atomic bucket array), so the call path of every thread can record without
 * contention; {@link #snapshot()} reads them for the API, and the host copies snapshots into the stat file.
 *
 * <p>Each call and each state change is also committed as a JFR event ({@code io.rapace.plugin.PluginCall},
 * {@code io.rapace.plugin.PluginStateChange}) when a recording has it enabled; when none does, the cost is one check.
 *
 * <p>Bytes are counted from the host's side: out is what the host sent to the plugin, in what it received.
 */
public final class PluginMetrics {
    private final String pluginId;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    /** Guarded by this: a state change reads the previous state and the pid together. */
    private PluginState state = PluginState.STARTING;
    private long pid = -1;
    private volatile int schemaMismatches;

    /**
     * @throws IllegalArgumentException if {@code pluginId} is not a valid id
     */
    public PluginMetrics(String pluginId) {
        this(pluginId, PluginState.STARTING);
    }

    /** Counters of a plugin whose handle begins in {@code initial} ({@link PluginState#DORMANT} when on demand). */
    PluginMetrics(String pluginId, PluginState initial) {
        this.pluginId = PluginId.check(pluginId);
        this.state = initial;
    }

    public String pluginId() {
        return pluginId;
    }

    /**
     * Records one finished call.
     *
     * @param method the method's name as the registry prints it, e.g. {@code process} or {@code Storage.get}
     * @param latencyNanos how long the call took
     * @param code the rapace error code it ended with; 0 (OK) is a success, anything else counts as an error
     * @param bytesIn payload bytes the host received in the call
     * @param bytesOut payload bytes the host sent in the call
     */
    public void recordCall(String method, long latencyNanos, int code, long bytesIn, long bytesOut) {
        calls.increment();
        if (code != 0) {
            errors.increment();
        }
        latency.record(latencyNanos);
        this.bytesIn.add(bytesIn);
        this.bytesOut.add(bytesOut);
        PluginCallEvent event = new PluginCallEvent();
        if (event.shouldCommit()) {
            event.pluginId = pluginId;
            event.method = method;
            event.latency = latencyNanos;
            event.code = code;
            event.bytesIn = bytesIn;
            event.bytesOut = bytesOut;
            event.commit();
        }
    }

    /** Counts traffic outside a finished call, such as the messages of a stream still open. */
    public void recordBytes(long bytesIn, long bytesOut) {
        this.bytesIn.add(bytesIn);
        this.bytesOut.add(bytesOut);
    }

    /** Counts one restart of the plugin's process. */
    public void recordRestart() {
        restarts.increment();
    }

    /**
     * Moves the plugin to {@code to}, with the pid of its current process (-1 for none), and emits a
     * {@code PluginStateChange} event if that is a change. Returns the state before ({@link PluginState#STARTING} at
     * first).
     */
    public synchronized PluginState changeState(PluginState to, long pid) {
        Objects.requireNonNull(to, "to");
        PluginState from = state;
        state = to;
        this.pid = pid;
        if (from == to) {
            return from; // not a change: no event
        }
        PluginStateChangeEvent event = new PluginStateChangeEvent();
        if (event.shouldCommit()) {
            event.pluginId = pluginId;
            event.from = from.displayName();
            event.to = to.displayName();
            event.pid = pid;
            event.commit();
        }
        return from;
    }

    /** The current state; {@link PluginState#STARTING} before the first {@link #changeState}. */
    public synchronized PluginState state() {
        return state;
    }

    /** The latency below which {@code percentile} percent of calls finished, to within a factor of two. */
    public long latencyPercentileNanos(double percentile) {
        return latency.percentile(percentile);
    }

    /** The counters as of now. Each counter is read once; counters read while calls finish may be a call apart. */
    public Snapshot snapshot() {
        PluginState currentState;
        long currentPid;
        synchronized (this) {
            currentState = state;
            currentPid = pid;
        }
        return new Snapshot(pluginId, currentState, currentPid, calls.sum(), errors.sum(), bytesIn.sum(),
                bytesOut.sum(), restarts.sum(), latency.percentile(50), latency.percentile(99), latency.max(),
                schemaMismatches);
    }

    /** Records how many methods of the current session's peer have a schema that differs from the host's. */
    public void schemaMismatches(int count) {
        this.schemaMismatches = count;
    }

    /**
     * The counters of one plugin at one moment.
     *
     * @param state the plugin's state ({@link PluginState#STARTING} before its session is up)
     * @param pid the plugin's process id, -1 when it has none
     * @param schemaMismatches methods whose schema differs between the host and the current process (0 without one)
     */
    public record Snapshot(String pluginId, PluginState state, long pid, long calls, long errors, long bytesIn,
            long bytesOut, long restarts, long p50Nanos, long p99Nanos, long maxNanos, int schemaMismatches) {

        /**
         * The stat file's row for this snapshot, with the process figures the host measured.
         *
         * @param cpuNanos CPU time of the plugin's process, -1 if unknown
         * @param residentBytes resident memory of the plugin's process, -1 if unknown
         * @param updatedMillis when the row was taken, in epoch milliseconds
         */
        public StatRow toStatRow(long cpuNanos, long residentBytes, long updatedMillis) {
            return new StatRow(pluginId, state == null ? "" : state.displayName(), pid, calls, errors, bytesIn,
                    bytesOut, p50Nanos, p99Nanos, restarts, cpuNanos, residentBytes, updatedMillis);
        }
    }
}
