package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.shm.ShmTransport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Liveness of one {@link Session}: the timer thread that beats this side's heartbeat words and watches the peer's
 * ({@link Liveness} decides when they stayed unchanged too long), reports a protocol violation the reader recorded,
 * and the host's watch of the plugin process ({@link Session#watch}). Each ends the session with its own cause.
 *
 * <p>The cadence follows DESIGN 6. While anything waits on the peer (the listener's
 * {@link SessionListener#waitingOnPeer}: a call or stream in flight either way), and for {@link #QUIET_AFTER_BEATS}
 * beats after, it beats every heartbeat interval and declares the peer dead after the peer timeout. Once quiet, it
 * beats every {@link #QUIET_INTERVAL_FACTOR} heartbeat intervals (500 ms by default, half the peer timeout, so a
 * peer that starts waiting on this side before it learns of the call still sees a beat within its timeout), and
 * allows the peer {@link #QUIET_TIMEOUT_FACTOR} times the peer timeout. A call starting on either side
 * ({@link #callStarting}) brings it back to the fast cadence at once, and restarts the count of the peer's silence.
 */
final class LivenessTimer {
    /** The quiet beat is this many heartbeat intervals (500 ms with the default 100 ms). */
    static final int QUIET_INTERVAL_FACTOR = 5;
    /** A quiet side allows the peer this many peer timeouts of silence (5 s with the default 1 s). */
    static final int QUIET_TIMEOUT_FACTOR = 5;
    /** Fast beats with nothing waiting before the session counts as quiet (1 s with the default 100 ms). */
    static final int QUIET_AFTER_BEATS = 10;

    private final Session session;
    private final SessionConfig config;
    private final ShmTransport transport;
    private final Thread liveness;
    /** True while the timer beats at the quiet cadence (it may then be parked for a whole quiet interval). */
    private volatile boolean quiet;
    /** Set by {@link #callStarting}, cleared by the timer: a call started since its last beat. */
    private volatile boolean callStarted;

    LivenessTimer(Session session, SessionConfig config, ShmTransport transport, String name) {
        this.session = session;
        this.config = config;
        this.transport = transport;
        this.liveness = Session.daemon(this::livenessLoop, name + "-liveness");
    }

    /** The timer thread. */
    Thread thread() {
        return liveness;
    }

    /** The body of {@link Session#watch}. */
    void watch(ProcessHandle process) {
        process.onExit().thenRun(() -> session.end(
                session.peerGoingAway() ? CloseCause.PEER_GOAWAY : CloseCause.PROCESS_EXIT,
                "the peer process " + process.pid() + " exited"));
    }

    /**
     * A call starts: back to the fast cadence now if quiet, and it counts as activity for the next
     * {@link #QUIET_AFTER_BEATS} beats, so calls that keep coming keep the fast cadence without waking the timer each
     * time (a volatile read, and a write only when the flag is clear, per call otherwise).
     */
    void callStarting() {
        if (!callStarted) {
            callStarted = true;
        }
        if (quiet) {
            quiet = false;
            LockSupport.unpark(liveness);
        }
    }

    /** Whether the timer beats at the quiet cadence now. */
    boolean quiet() {
        return quiet;
    }

    private void livenessLoop() {
        long interval = config.heartbeatInterval().toNanos();
        long timeout = config.peerTimeout().toNanos();
        Liveness live = new Liveness();
        int idleBeats = 0;
        boolean wasQuiet = false;
        try {
            while (session.running()) {
                long now = System.nanoTime();
                boolean started = callStarted;
                if (started) {
                    callStarted = false;
                }
                if (started || session.waitingOnPeer()) {
                    idleBeats = 0;
                    quiet = false;
                } else if (idleBeats < QUIET_AFTER_BEATS) {
                    idleBeats++;
                } else {
                    quiet = true;
                }
                boolean quietNow = quiet;
                if (wasQuiet && !quietNow) {
                    live.restart(now);
                }
                wasQuiet = quietNow;
                if (!beatOnce(live, now, quietNow ? timeout * QUIET_TIMEOUT_FACTOR : timeout)) {
                    return;
                }
                LockSupport.parkNanos(this, quietNow ? interval * QUIET_INTERVAL_FACTOR : interval);
            }
        } catch (IllegalStateException e) {
            // the segment closed under us: the session is ending
        }
    }

    /**
     * One heartbeat: this side's words, the peer's words, the violation flag; false once the session ends. Its own
     * method (not the loop body) so the JIT compiles it after a few hundred beats: the loop runs in one invocation
     * that would stay interpreted (an OSR compile needs tens of thousands of iterations). No allocation, no logging,
     * one clock read, no system call.
     */
    private boolean beatOnce(Liveness live, long now, long timeoutNanos) {
        transport.beat(now);
        if (live.observe(transport.peerEpoch(), transport.peerLastSeen(), now, timeoutNanos)) {
            session.end(CloseCause.HEARTBEAT_TIMEOUT, "the peer's last_seen did not change for "
                    + TimeUnit.NANOSECONDS.toMillis(live.unchangedFor(now)) + " ms (timeout "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms" + (timeoutNanos > config.peerTimeout()
                    .toNanos() ? ", quiet session" : "") + ", last epoch " + live.lastEpoch() + ")");
            return false;
        }
        String violation = transport.protocolViolation();
        if (violation != null) {
            session.end(CloseCause.PROTOCOL_VIOLATION, violation);
            return false;
        }
        return true;
    }
}
