package io.rapace.plugin;

import static io.rapace.plugin.HostContext.LOG;

import io.rapace.config.CloseCause;
import io.rapace.plugin.api.HostEvent;
import io.rapace.rpc.CallObserver;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One plugin of a host across its restarts: its state machine, its current incarnation (one process and one
 * session), and what follows when an incarnation ends. {@link PluginHost.PluginHandle} is its public face;
 * {@link PluginLauncher} starts an incarnation and {@link PluginShutdown} stops the plugin in order.
 *
 * <p>States: a plugin begins in {@code Starting}; {@link #setState} records each change in the metrics (which emit the
 * JFR event), wakes {@link #awaitState} and tells the log and the {@link PluginListener}s. An incarnation that ends
 * without being stopped ({@link #sessionEnded}, or a start that fails) is claimed once by {@link #ended}, which makes
 * the plugin {@code Crashed} (or {@code Stopped} after a clean exit of its own), ends what is left of the process, and
 * asks the {@link RestartPolicy} whether to start it again after a delay.
 *
 * <p>Threads: starts run one at a time under {@link #startLock}; a stop sets {@link #stopping} and then waits for a
 * start in progress, which sees it and undoes itself. Incarnation numbers are kept under {@link #lock}, so the end of
 * an old incarnation reported late changes nothing.
 */
final class PluginSupervisor {
    /** How long {@link #settleFailedStart} waits for a failed start to finish reclaiming what it made. */
    private static final Duration RETIRE_WAIT = Duration.ofSeconds(5);
    private final HostContext host;
    private final PluginSpec spec;
    private final RestartPolicy.Tracker tracker;
    private final PluginLauncher launcher;
    final PluginMetrics metrics;
    private final AtomicLong rejected = new AtomicLong();
    private final Object lock = new Object();
    volatile PluginProcess process;
    volatile RpcSession session;
    /** The methods whose schema differs between the host and the current process, found when it connected. */
    volatile List<io.rapace.rpc.SchemaMismatch> schemaMismatches = List.of();
    /** The session user calls go to: set once the session is up, null when it ended. */
    volatile RpcSession callable;
    /** The waiting half of a start in progress, which a stop closes to end the wait at once. */
    volatile RpcSession.Listening listening;
    /**
     * Calls routed to this version's session that have not started there yet ({@link PluginChannel}): a replace waits
     * for them before it drains the session.
     */
    private final java.util.concurrent.atomic.AtomicInteger routing = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * This version was replaced (or is a replacement that did not take): its state changes are logged but no longer
     * the plugin's, so listeners and subscribers hear nothing of them.
     */
    volatile boolean quiet;
    /** Replaced by a new version (under {@link #lock}): no call is routed here any more. */
    private boolean replaced;
    /** Restarts scheduled and not yet finished (under {@link #lock}): while any is, a call waits instead of failing. */
    private int pendingRestarts;
    /** Set by {@link PluginShutdown}: no start or restart begins after it, and a start in progress undoes itself. */
    volatile boolean stopping;
    /** Removed from the host or replaced by a new launch of its id: it never starts again. */
    volatile boolean retired;
    private volatile String lastDetail = "";
    private int incarnation;
    /** The incarnation whose end was already reported (under {@link #lock}). */
    private int crashedIncarnation;
    private final ReentrantLock startLock = new ReentrantLock();
    /** Registered to start on its first call ({@link PluginHost#register}). */
    private final boolean onDemand;
    /** After this long without a call, a running on-demand plugin is shut down to {@code Dormant}; null: never. */
    private final Duration idleTimeout;
    /** When a call last began or ended, either direction ({@link System#nanoTime()}). */
    private volatile long lastActivity = System.nanoTime();
    /** A start on demand is under way (under {@link #lock}). */
    private boolean demandStarting;
    /** An idle stop is under way (set under {@link #lock}): no call is routed here until it ends. */
    private volatile boolean idleStopping;
    /**
     * The host or the application asked this plugin to stop ({@link PluginHost#shutdown}, {@code close}): sticky, so an
     * idle stop under way ends {@code Stopped}, not {@code Dormant}.
     */
    volatile boolean shutdownRequested;
    /** One stop at a time (an idle stop, a shutdown, a close, a replace's): the later waits for the earlier. */
    final ReentrantLock stopLock = new ReentrantLock();
    private volatile java.util.concurrent.ScheduledFuture<?> idleCheck;

    /** A plugin the host starts now ({@link PluginHost#launch}). */
    PluginSupervisor(HostContext host, PluginSpec spec) {
        this(host, spec, false, null);
    }

    /**
     * @param onDemand    begin {@code Dormant} and start on the first call
     * @param idleTimeout for an on-demand plugin, how long without a call before it is shut down to {@code Dormant}
     *                    (null: never)
     */
    PluginSupervisor(HostContext host, PluginSpec spec, boolean onDemand, Duration idleTimeout) {
        this.host = host;
        this.spec = spec;
        this.onDemand = onDemand;
        this.idleTimeout = idleTimeout;
        this.tracker = host.restartPolicy().newTracker();
        this.launcher = new PluginLauncher(host, this);
        this.metrics = new PluginMetrics(spec.id(), onDemand ? PluginState.DORMANT : PluginState.STARTING);
    }

    String id() {
        return spec.id();
    }

    PluginSpec spec() {
        return spec;
    }

    PluginState state() {
        return metrics.state();
    }

    String detail() {
        return lastDetail;
    }

    /** The current process's id, or -1 when there is none. */
    long pid() {
        PluginProcess p = process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    /** CPU time of the current process in nanoseconds, -1 when there is none. */
    long cpuTimeNanos() {
        PluginProcess p = process;
        return p == null ? -1 : p.cpuTimeNanos();
    }

    /** Resident memory of the current process in bytes, -1 when there is none. */
    long residentBytes() {
        PluginProcess p = process;
        return p == null ? -1 : p.residentBytes();
    }

    /** Calls routed here and not started yet. */
    int routing() {
        return routing.get();
    }

    /**
     * Routes no more calls here: a new version took over. Calls routed before are counted in {@link #routing()}; a
     * caller that comes after gets null from {@link #awaitRunning} and asks the handle again.
     */
    void markReplaced() {
        synchronized (lock) {
            replaced = true;
            quiet = true;
            lock.notifyAll();
        }
        stopWatchingIdle();
    }

    /** A new version of this plugin, from {@code spec}, started on demand and stopped when idle as this one is. */
    PluginSupervisor successor(PluginSpec spec) {
        return new PluginSupervisor(host, spec, onDemand, idleTimeout);
    }

    /** A routed call has started on the session (or failed to). */
    void routeDone() {
        routing.decrementAndGet();
    }

    /**
     * The session of the running plugin, waiting for it while the plugin is starting or a restart is due, until
     * {@code deadlineNanos} ({@link System#nanoTime()}); see {@link PluginChannel} for the failures. Null when this
     * version was replaced: route again. A session returned is counted in {@link #routing()} until
     * {@link #routeDone()}.
     */
    RpcSession awaitRunning(long deadlineNanos, Duration budget) {
        lastActivity = System.nanoTime();
        synchronized (lock) {
            while (true) {
                if (replaced) {
                    return null; // the caller routes to the new version
                }
                RpcSession c = callable;
                PluginState s = metrics.state();
                if (c != null && s == PluginState.RUNNING && c.isOpen() && !idleStopping) {
                    routing.incrementAndGet(); // under the lock: a replace or an idle check sees it
                    return c;
                }
                if (s == PluginState.DORMANT && !demandStarting && !stopping && !retired && !host.isClosed()) {
                    demandStarting = true;
                    Thread t = new Thread(this::startOnDemand, "rapace-host-start-" + id());
                    t.setDaemon(true);
                    t.start();
                }
                // (a session that just ended is about to be reported: wait for what follows)
                boolean cannotStart = stopping || retired || host.isClosed();
                boolean gaveUp = (s == PluginState.STOPPED || s == PluginState.CRASHED)
                        && (pendingRestarts == 0 || cannotStart);
                if (gaveUp || (s == PluginState.DORMANT && cannotStart)) {
                    throw new RpcException(ErrorCode.UNAVAILABLE, "plugin " + id() + " is " + s.displayName()
                            + (s == PluginState.CRASHED ? " and will not be restarted" : "") + " (" + lastDetail
                            + ")");
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "plugin " + id() + " was not running within "
                            + budget.toMillis() + " ms (it is " + s.displayName() + ": " + lastDetail + ")");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RpcException(ErrorCode.CANCELLED, "interrupted while waiting for plugin " + id()
                            + " to run");
                }
            }
        }
    }

    long rejectedCalls() {
        return rejected.get();
    }

    /** Waits up to {@code timeout} for the plugin to be in {@code wanted}; true if it is. */
    boolean awaitState(PluginState wanted, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (metrics.state() != wanted) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    /** Starts a dormant plugin for the call that found it so; a failure is the start's to report. */
    private void startOnDemand() {
        try {
            startIncarnation("started on demand by a call");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "plugin " + id() + ": start on demand failed: " + e.getMessage());
        } finally {
            synchronized (lock) {
                demandStarting = false;
                lock.notifyAll();
            }
        }
    }

    boolean onDemand() {
        return onDemand;
    }

    /**
     * For an on-demand plugin with an idle timeout: checks every quarter of it (at least every 10 ms, at most every
     * 250 ms) whether the plugin ran that long without a call, and if so shuts it down to {@code Dormant}.
     */
    void watchIdle() {
        if (idleTimeout == null) {
            return;
        }
        long every = Math.max(10, Math.min(250, idleTimeout.toMillis() / 4));
        idleCheck = host.scheduler().scheduleWithFixedDelay(this::checkIdle, every, every, TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        synchronized (lock) { // a call being routed holds it: it is either counted here or waits for the stop
            RpcSession rpc = callable;
            if (idleStopping || stopping || shutdownRequested || retired || host.isClosed() || rpc == null
                    || state() != PluginState.RUNNING || routing.get() > 0 || rpc.callsInFlight() > 0
                    || System.nanoTime() - lastActivity < idleTimeout.toNanos()) {
                return;
            }
            idleStopping = true; // from now on awaitRunning routes nothing here: callers wait for Dormant
        }
        Thread t = new Thread(() -> {
            try {
                PluginShutdown.stop(this, host, "idle for " + idleTimeout.toMillis() + " ms");
            } finally {
                synchronized (lock) {
                    idleStopping = false;
                    lock.notifyAll();
                }
            }
        }, "rapace-host-idle-stop-" + id());
        t.setDaemon(true);
        t.start();
    }

    /** Ends the idle checks (the plugin was removed or the host closes). */
    void stopWatchingIdle() {
        java.util.concurrent.ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    /** Neither {@code Stopped} nor {@code Crashed}. */
    boolean isActive() {
        PluginState s = state();
        return s != PluginState.STOPPED && s != PluginState.CRASHED;
    }

    void setState(PluginState to, String detail) {
        PluginState from;
        // the current incarnation's process, alive or not: a Crashed or Stopped state names the one that ended
        PluginProcess p = process;
        long pid = p == null ? -1 : p.pid();
        synchronized (lock) {
            from = metrics.changeState(to, pid);
            lastDetail = detail;
            lock.notifyAll();
        }
        if (from == to) {
            return;
        }
        LOG.log(to == PluginState.CRASHED ? Level.WARNING : Level.INFO, "plugin " + id() + (quiet ? " (replaced)" : "")
                + ": " + from.displayName() + " -> " + to.displayName() + " (pid " + pid + "): "
                + detail);
        if (quiet) {
            return;
        }
        for (PluginListener listener : host.listeners()) {
            try {
                listener.stateChanged(id(), from, to, pid, detail);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "plugin listener failed", e);
            }
        }
    }

    // =====================================================================================================
    // starting

    /** One process and session of this plugin, from start to Running. */
    void startIncarnation() throws IOException {
        startIncarnation(null);
    }

    /** As {@link #startIncarnation()}, saying why in the {@code Starting} state's detail (null: launch or restart). */
    void startIncarnation(String why) throws IOException {
        // One start at a time, and a stop waits for a start in progress (which sees stopping and undoes itself).
        startLock.lock();
        try {
            if (retired) {
                throw new IOException("plugin " + id() + " was removed from the host");
            }
            if (host.isClosed() || stopping) {
                throw new IOException("plugin " + id() + " is being stopped");
            }
            int mine;
            synchronized (lock) {
                mine = ++incarnation;
            }
            launcher.start(mine, why);
        } finally {
            startLock.unlock();
        }
    }

    /** Returns once no start is in progress (a stop calls it after setting {@link #stopping}). */
    void awaitStartInProgress() {
        startLock.lock();
        startLock.unlock();
    }

    /** Whether incarnation {@code which} is still the current one and has not ended. */
    boolean isCurrent(int which) {
        synchronized (lock) {
            return which == incarnation && crashedIncarnation != which;
        }
    }

    /**
     * Waits, at most {@link #RETIRE_WAIT}, while a start that already failed (the plugin is not active) still reclaims
     * what it made; called before {@link #retire}, outside the host's monitor.
     */
    void settleFailedStart() {
        if (isActive()) {
            return;
        }
        try {
            if (startLock.tryLock(RETIRE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                startLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the handle as never to start again; refused while a start runs or the plugin is active. */
    void retire() {
        if (!startLock.tryLock()) {
            throw new IllegalStateException("plugin " + id() + " is starting; shut it down before removing it");
        }
        try {
            if (isActive()) {
                throw new IllegalStateException("plugin " + id() + " is " + state().displayName()
                        + "; shut it down before removing it");
            }
            retired = true;
            stopWatchingIdle();
        } finally {
            startLock.unlock();
        }
    }

    /** Counts a call of the current session, either direction, in the metrics. */
    void observe(CallObserver.Event event) {
        lastActivity = System.nanoTime();
        if (event.rejected() || event.rawCode() == ErrorCode.RESOURCE_EXHAUSTED.value()) {
            rejected.incrementAndGet(); // a limit refused it: in flight, rate, or message size
        }
        String method = event.methodName().isEmpty() ? MethodNames.of(event.methodId()) : event.methodName();
        metrics.recordCall(method, event.durationNanos(), event.rawCode(),
                event.bytesReceived(), event.bytesSent());
    }

    // =====================================================================================================
    // ending and restarting

    /** The session of incarnation {@code which} ended: a stop, or a crash. */
    void sessionEnded(int which, RpcSession rpc, CloseCause cause) {
        synchronized (lock) {
            if (which != incarnation) {
                return;
            }
        }
        if (stopping) {
            return; // the stop reports the end
        }
        String detail = switch (cause) {
            case HEARTBEAT_TIMEOUT -> "no heartbeat: " + rpc.closeDetail() + " (frozen or overloaded)";
            case PROCESS_EXIT, END_OF_STREAM -> "process exited" + exitDetail();
            default -> "session ended (" + cause + "): " + rpc.closeDetail();
        };
        PluginProcess p = process;
        boolean exitedCleanly = (cause == CloseCause.PROCESS_EXIT || cause == CloseCause.END_OF_STREAM
                || cause == CloseCause.PEER_GOAWAY) && p != null && exitStatus(p) == 0;
        if (exitedCleanly) {
            ended(which, PluginState.STOPPED, "process ended on its own" + exitDetail(), false);
        } else {
            crashed(which, detail);
        }
    }

    /** The exit status once the process has ended (waiting briefly for it), else -1. */
    static int exitStatus(PluginProcess p) {
        try {
            return p.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    /** {@code " with status N"} once the current process has ended (waiting briefly for it), else empty. */
    String exitDetail() {
        PluginProcess p = process;
        if (p == null) {
            return "";
        }
        try {
            return " with status " + p.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    /** Marks the plugin Crashed, ends what is left of its process, and restarts it if the policy says so. */
    void crashed(int which, String detail) {
        ended(which, PluginState.CRASHED, detail, true);
    }

    /**
     * Incarnation {@code which} ended without being stopped: claims that end once (a plugin that dies while it
     * initialises is reported by two paths), ends what is left of it, and asks the policy what follows.
     */
    void ended(int which, PluginState state, String detail, boolean failed) {
        RestartPolicy.Decision decision;
        boolean due;
        synchronized (lock) {
            if (which != incarnation || crashedIncarnation == which) {
                return;
            }
            crashedIncarnation = which;
            decision = tracker.onExit(failed, detail);
            due = decision instanceof RestartPolicy.Restart && !host.isClosed() && !stopping;
            if (due) {
                pendingRestarts++; // before the state changes: a caller waiting for the plugin sees a restart due
            }
        }
        callable = null;
        RpcSession rpc = session;
        PluginProcess p = process;
        setState(state, detail);
        if (!quiet) {
            host.events().publish(new HostEvent.PluginUnloaded(id()));
        }
        if (rpc != null) {
            rpc.close(Duration.ZERO); // given up on: no drain
        }
        if (p != null) {
            try {
                p.terminate(Duration.ZERO); // a frozen (SIGSTOPped) process only goes with SIGKILL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (due && decision instanceof RestartPolicy.Restart restart) {
            LOG.log(Level.INFO, "plugin " + id() + ": restarting in " + restart.delay().toMillis() + " ms (attempt "
                    + restart.attempt() + ")");
            try {
                // the timer only fires; the restart runs on a thread of its own, so a slow start holds up
                // neither the stat file nor the restarts of other plugins
                host.scheduler().schedule(() -> {
                    Thread t = new Thread(this::restart, "rapace-host-restart-" + id());
                    t.setDaemon(true);
                    t.start();
                }, restart.delay().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                restartDone(); // the host is closing
            }
        } else if (decision instanceof RestartPolicy.Stay stay) {
            LOG.log(failed ? Level.WARNING : Level.INFO, "plugin " + id() + ": " + stay.reason());
        }
    }

    private void restart() {
        try {
            if (host.isClosed() || stopping || retired) {
                return;
            }
            metrics.recordRestart();
            startIncarnation();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "plugin " + id() + ": restart failed: " + e.getMessage());
        } finally {
            restartDone();
        }
    }

    private void restartDone() {
        synchronized (lock) {
            pendingRestarts--;
            lock.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "plugin " + id() + " (" + state().displayName() + ", pid " + pid() + ")";
    }
}
