package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.shm.ShmTransport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Liveness of one {@link Session}: the timer thread that beats this side's heartbeat words every heartbeat interval
 * and watches the peer's ({@link Liveness} decides when they stayed unchanged too long), reports a protocol violation
 * the reader recorded, and the host's watch of the plugin process ({@link Session#watch}). Each ends the session
 * with its own cause.
 */
final class LivenessTimer {
    private final Session session;
    private final SessionConfig config;
    private final ShmTransport transport;
    private final Thread liveness;

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

    private void livenessLoop() {
        long interval = config.heartbeatInterval().toNanos();
        Liveness live = new Liveness(config.peerTimeout().toNanos());
        try {
            while (session.running() && beatOnce(live)) {
                LockSupport.parkNanos(interval);
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
    private boolean beatOnce(Liveness live) {
        long now = System.nanoTime();
        transport.beat(now);
        if (live.observe(transport.peerEpoch(), transport.peerLastSeen(), now)) {
            session.end(CloseCause.HEARTBEAT_TIMEOUT, "the peer's last_seen did not change for "
                    + TimeUnit.NANOSECONDS.toMillis(live.unchangedFor(now)) + " ms (timeout "
                    + config.peerTimeout().toMillis() + " ms, last epoch " + live.lastEpoch() + ")");
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
