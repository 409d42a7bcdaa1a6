package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.ShmTransport;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Reader scheduling of one {@link Session}: who polls the inbound ring and when. The reader thread polls, spins
 * briefly, then sleeps on the doorbell (or, in {@link WakeMode#SPIN}, never sleeps, and a watcher thread waits on the
 * socket for end-of-stream); a caller waiting for its own answer may take the poll role ({@link #pollUntil}); threads
 * working for the peer make a spinning reader step aside ({@link #working}). Every frame goes to the session's
 * {@link FrameHandler} on whichever thread polled it.
 *
 * <p>Outside spin mode, the reader thread that delivers a call may serve it itself ({@link #serveHere}); which thread
 * reads, and the hand-off when a handler runs long, is {@link ReaderLeadership}'s.
 *
 * <p>Owns the session's {@code running} flag (cleared once, by {@link Session#end}): every loop here checks it.
 */
final class SessionReader {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final int POLL_BATCH = 64;
    private static final long SPIN_YIELD_AFTER_NANOS = 5_000_000;
    private static final long CALLER_POLL_PARK_NANOS = 200_000;
    private static final long WORKER_PARK_NANOS = 20_000;
    /**
     * Outside spin mode, a lone caller (the only call in flight) that polls for its answer within this long of ringing
     * the peer's doorbell yields its core every {@link #CALLER_YIELD_EVERY} + 1 empty polls. The doorbell is a Unix socket write, a "sync"
     * wake-up: the kernel often queues the woken thread on the writer's core, expecting the writer to sleep, and a
     * caller spinning there would hold the very thread that computes its answer off the core until its spin ends. A
     * peer that was awake (no ring: a busy exchange) answers within microseconds, and its caller never yields.
     */
    private static final long CALLER_YIELD_AFTER_RING_NANOS = 200_000;
    private static final int CALLER_YIELD_EVERY = 15;
    /**
     * The reader's adaptive spin yields every this + 1 empty polls while at most one call is in flight: when the
     * caller it answers shares its core (the same sync wake-up), the caller runs at once instead of after the spin; on
     * an idle core a yield returns at once. With more calls in flight, yields hand the core among this process's
     * own busy threads and cost throughput (measured: 4 callers at half the rate), so it only spins.
     */
    private static final int SPIN_YIELD_EVERY = 15;

    private final Session session;
    private final SessionConfig config;
    private final ShmTransport transport;
    private final Doorbell doorbell;
    private final FrameHandler handler;
    /** Who polls the inbound ring (SPSC: one thread at a time): the reader, or a caller in {@link #pollUntil}. */
    private final ReentrantLock pollRole = new ReentrantLock();
    /** Callers in {@link #pollUntil} right now; while there are any, the reader stays off the CPU. */
    private final AtomicInteger pollingCallers = new AtomicInteger();
    /**
     * The one caller polling now, if any. One polling caller delivers every caller's answers, so the others yield
     * their cores while they wait (to it and to the peer) instead of polling against it.
     */
    private final AtomicBoolean callerPolls = new AtomicBoolean();
    /**
     * The reader parks while callers poll (Dekker with {@link #pollUntil}: it sets this, then re-reads
     * {@link #pollingCallers}; the last caller decrements, then reads this), so only a parked reader is unparked.
     */
    private volatile boolean readerSteppedAside;
    /** Threads of this process working for the peer now: streaming to it, running its handlers ({@link #working}). */
    private final AtomicInteger workers = new AtomicInteger();
    /** The reader sleeps on the doorbell (written and read under {@link #pollRole}). */
    private volatile boolean readerAsleep;
    private final AtomicLong sleeps = new AtomicLong();
    private final Thread reader;
    /** Which thread reads now, and the hand-off of the reading when a served call runs long. */
    private final ReaderLeadership leadership;
    /** The leader delivers the frames of its main poll now, and may take one call to serve ({@link #serveHere}). */
    private boolean mayServe;
    /** The call the leader took to serve once its poll is done; touched only by the leader. */
    private Runnable served;
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile boolean eofSeen;

    SessionReader(Session session, SessionConfig config, ShmTransport transport, Doorbell doorbell,
            FrameHandler handler, String name) {
        this.session = session;
        this.config = config;
        this.transport = transport;
        this.doorbell = doorbell;
        this.handler = handler;
        this.reader = Session.daemon(this::readLoop, name + "-reader");
        this.leadership = new ReaderLeadership(reader, name, this::readLoop, this::running);
        this.watcher = config.wakeMode() == WakeMode.SPIN ? Session.daemon(this::watchLoop, name + "-watcher") : null;
    }

    /** The first reader thread, started with the session. */
    Thread thread() {
        return reader;
    }

    /** The thread that reads now (the first reader thread until it hands the reading on). */
    Thread leader() {
        return leadership.leader();
    }

    /** The end-of-stream watcher of {@link WakeMode#SPIN}, or null in the other modes. */
    Thread watcher() {
        return watcher;
    }

    /** False once the session ended. */
    boolean running() {
        return running;
    }

    /** Stops every loop here; called once, by {@link Session#end}, before it closes the doorbell. */
    void stop() {
        running = false;
        leadership.stop();
    }

    /** How many times the reader went to sleep on the doorbell. */
    long sleeps() {
        return sleeps.get();
    }

    /**
     * The body of every reader thread: lead, serve the call taken on the way, lead on (or, when the watchdog handed
     * the reading on meanwhile, wait as a follower to lead again).
     */
    private void readLoop() {
        while (running) {
            Runnable call = lead();
            if (call == null) {
                return;
            }
            if (leadership.serve(call)) {
                continue;
            }
            if (!leadership.awaitLeadership()) {
                return;
            }
        }
    }

    /**
     * Outside spin mode: runs {@code call} on this thread, the leader delivering frames now, once the frames of this
     * poll are delivered (a follower takes over the reading if it runs long). False when this is not the leader's
     * main poll, or the leader already took a call this poll (the caller then runs it its own way).
     */
    boolean serveHere(Runnable call) {
        if (!mayServe || served != null || Thread.currentThread() != leadership.leader()) {
            return false;
        }
        served = call;
        return true;
    }

    /** The call this leader took in its last poll, to serve now. */
    private Runnable takeServed() {
        Runnable call = served;
        served = null;
        return call;
    }

    /** Leads: reads until the session ends (null) or until it took a call to serve (that call). */
    private Runnable lead() {
        long spinNanos = config.spin().toNanos();
        long adaptiveNanos = config.adaptiveSpin().toNanos();
        boolean spinMode = config.wakeMode() == WakeMode.SPIN;
        long idleSince = 0;
        long lastGap = Long.MAX_VALUE;
        boolean rang = false;
        int idlePolls = 0;
        try {
            while (running) {
                if (spinMode && eofSeen && (pollingCallers.get() > 0 || workers.get() > 0)) {
                    // the peer is gone: deliver what it published, then end (its callers get PEER_DIED now)
                    while (pollOnce() > 0) {
                        // drain
                    }
                    session.peerGone();
                    return null;
                }
                if (pollingCallers.get() > 0) {
                    // a caller polls for its own response: one spinning thread per process is enough; read what
                    // came if no caller holds the ring right now, then step aside
                    if (pollRole.tryLock()) {
                        try {
                            if (running) {
                                transport.poll(handler, POLL_BATCH);
                            }
                        } finally {
                            pollRole.unlock();
                        }
                    }
                    readerSteppedAside = true;
                    if (pollingCallers.get() > 0) {
                        LockSupport.parkNanos(CALLER_POLL_PARK_NANOS);
                    }
                    readerSteppedAside = false;
                    continue;
                }
                if (spinMode && workers.get() > 0) {
                    // a thread of this process streams to the peer and needs the core more than an idle reader
                    // does: read what came (credit, a cancel) and step aside for a moment
                    pollOnce();
                    LockSupport.parkNanos(WORKER_PARK_NANOS);
                    continue;
                }
                mayServe = !spinMode;
                int delivered;
                try {
                    delivered = pollOnceIfFree();
                } finally {
                    mayServe = false;
                }
                if (delivered < 0) {
                    continue; // a caller took the ring just now: step aside above, not queue on the role
                }
                if (served != null) {
                    return takeServed();
                }
                if (delivered > 0) {
                    if (idleSince != 0) {
                        lastGap = System.nanoTime() - idleSince;
                        idleSince = 0;
                    }
                    idlePolls = 0;
                    continue;
                }
                if (spinMode) {
                    if (eofSeen && !transport.hasInbound()) {
                        session.peerGone();
                        return null;
                    }
                    // Idle for more than SPIN_YIELD_AFTER: yield now and then, so a sending thread of this process
                    // can run on a small machine; a busy exchange never waits that long and never yields.
                    if ((++idlePolls & 63) == 0) {
                        long now = System.nanoTime();
                        if (idleSince == 0) {
                            idleSince = now;
                        } else if (now - idleSince > SPIN_YIELD_AFTER_NANOS) {
                            Thread.yield();
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                    rang = transport.rangSinceLastAsked();
                }
                // In a back-to-back exchange (the last frame came soon after going idle) spin up to adaptiveSpin
                // before sleeping, else only the short spin; and right after waking the peer, not even that:
                // a Unix socket's wake-up is "sync", so the peer was probably queued on this CPU and runs only
                // once this thread sleeps.
                long budget = rang ? 0 : lastGap <= adaptiveNanos ? adaptiveNanos : spinNanos;
                if (budget > 0 && now - idleSince < budget) {
                    long until = idleSince + budget;
                    int emptyPolls = 0;
                    int yieldEvery = session.atMostOneCall() ? SPIN_YIELD_EVERY : -1;
                    while (!transport.hasInbound() && System.nanoTime() - until < 0) {
                        if ((++emptyPolls & yieldEvery) == 0) {
                            Thread.yield();
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    if (transport.hasInbound()) {
                        continue;
                    }
                }
                pollRole.lock();
                try {
                    if (!transport.prepareToSleep()) {
                        continue;
                    }
                    readerAsleep = true;
                } finally {
                    pollRole.unlock();
                }
                sleeps.incrementAndGet();
                int n = doorbell.await();
                if (!running) {
                    return null;
                }
                pollRole.lock();
                try {
                    readerAsleep = false;
                    transport.awake();
                } finally {
                    pollRole.unlock();
                }
                if (n < 0) {
                    while (pollOnce() > 0) {
                        // deliver what the peer published before it went
                    }
                    session.peerGone();
                    return null;
                }
            }
        } catch (ClosedChannelException e) {
            if (running) {
                session.end(CloseCause.END_OF_STREAM, "the doorbell socket was closed");
            }
        } catch (IOException e) {
            if (running) {
                session.end(CloseCause.END_OF_STREAM, "the doorbell socket failed: " + e);
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "session " + session.id() + " reader failed", e);
                session.end(CloseCause.INTERNAL_ERROR, "the reader failed: " + e);
            }
        }
        return null;
    }

    /**
     * {@link #pollOnce} unless a caller holds the poll role: then -1 at once. The reader never queues on the role
     * behind a polling caller, whose release would otherwise have to wake it (a futex wake per call, measured in spin
     * mode).
     */
    private int pollOnceIfFree() {
        return pollRole.tryLock() ? pollHeld() : -1;
    }

    private int pollOnce() {
        pollRole.lock();
        return pollHeld();
    }

    /** One batch from the ring, holding {@link #pollRole}, which it releases. */
    private int pollHeld() {
        try {
            return running ? transport.poll(handler, POLL_BATCH) : 0;
        } finally {
            pollRole.unlock();
        }
    }

    /** The body of {@link Session#pollUntil}. */
    boolean pollUntil(BooleanSupplier done, long timeoutNanos) {
        if (!running || timeoutNanos <= 0) {
            return done.getAsBoolean();
        }
        boolean spinMode = config.wakeMode() == WakeMode.SPIN;
        long until = System.nanoTime() + timeoutNanos;
        while (true) {
            if (callerPolls.compareAndSet(false, true)) {
                try {
                    return pollAsCaller(done, until - System.nanoTime(), spinMode);
                } finally {
                    callerPolls.set(false);
                }
            }
            // Another caller polls, and delivers this one's answer too: give it (and the peer) the core meanwhile,
            // and take over the polling if it stops first. Parking instead would cost every answer a wake-up: 4, 16
            // and 64 callers at a half to a third of the calls/s of yielding (measured). In spin mode, where every
            // caller used to poll, 16 callers did 36,000 calls/s and 64 callers 2,000.
            Thread.yield();
            if (done.getAsBoolean()) {
                return true;
            }
            if (!running || System.nanoTime() - until >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
    }

    private boolean pollAsCaller(BooleanSupplier done, long timeoutNanos, boolean spinMode) {
        long start = System.nanoTime();
        long until = start + timeoutNanos;
        boolean yielding = !spinMode && start - transport.lastRingNanos() < CALLER_YIELD_AFTER_RING_NANOS
                && session.atMostOneCall();
        int emptyPolls = 0;
        pollingCallers.incrementAndGet();
        try {
            while (!done.getAsBoolean()) {
                if (!running || System.nanoTime() - until > 0 || Thread.currentThread().isInterrupted()) {
                    return false; // an interrupted caller goes back to its wait, which cancels the call
                }
                if (eofSeen) {
                    return false; // the reader ends the session within its next park
                }
                if (spinMode ? acquirePollRole() : pollRole.tryLock()) {
                    // Outside spin mode the reader may be asleep: borrow its awake state (consumer_sleeping 1 -> 0),
                    // so the peer's answer rings no doorbell and wakes no thread here, and give it back after.
                    boolean borrowed = !spinMode && readerAsleep && transport.awake();
                    try {
                        while (running && !done.getAsBoolean() && System.nanoTime() - until < 0 && !eofSeen
                                && !Thread.currentThread().isInterrupted()) {
                            if (transport.poll(handler, POLL_BATCH) != 0) {
                                continue;
                            }
                            if (yielding && (++emptyPolls & CALLER_YIELD_EVERY) == 0) {
                                Thread.yield();
                            } else {
                                Thread.onSpinWait();
                            }
                        }
                        if (borrowed) {
                            giveBackSleep();
                        }
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR,
                                "session " + session.id() + ": delivering a frame failed", e);
                        session.end(CloseCause.INTERNAL_ERROR, "delivering a frame failed: " + e);
                        return false;
                    } finally {
                        pollRole.unlock();
                    }
                } else {
                    Thread.onSpinWait(); // the reader is delivering right now
                }
            }
            return true;
        } finally {
            // Spin mode: no unpark, the reader wakes from its short park by itself, off this caller's path. Otherwise
            // the reader, parked while callers polled, reads again now; a reader that is not parked for them is left
            // alone (no unpark on the caller's path).
            if (pollingCallers.decrementAndGet() == 0 && !spinMode && readerSteppedAside) {
                LockSupport.unpark(leadership.leader());
            }
            if (!spinMode && !done.getAsBoolean()) {
                leadership.aboutToBlock(); // a handler's nested call waits on: its answer needs another reader
            }
        }
    }

    /** The body of {@link Session#aboutToBlock}. */
    void aboutToBlock() {
        leadership.aboutToBlock();
    }

    /** The body of {@link Session#working}. */
    void working(int delta) {
        if (workers.addAndGet(delta) == 0 && delta < 0 && config.wakeMode() == WakeMode.SPIN) {
            LockSupport.unpark(reader); // back to spinning now, not after its park
        }
    }

    /**
     * Puts the sleeping reader's flag back (consumer_sleeping 0 -> 1) the way the reader itself goes to sleep: set,
     * full fence, re-check the ring; what arrived meanwhile is delivered here first, so no frame waits for a doorbell
     * that will not ring. Called holding {@link #pollRole}.
     */
    private void giveBackSleep() {
        while (running && !transport.prepareToSleep()) {
            if (transport.protocolViolation() != null) {
                return; // the session is ending; the liveness thread reports it
            }
            transport.poll(handler, POLL_BATCH);
        }
    }

    /**
     * Takes the poll role from the reader: a short spin, then a blocking wait, so a reader preempted while it holds
     * the role (it holds it for one batch) gets a core back instead of a caller spinning against it.
     */
    private boolean acquirePollRole() {
        for (int i = 0; i < 256; i++) {
            if (pollRole.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        try {
            // short: a caller whose answer the holder delivers meanwhile finds it done after this wait
            return pollRole.tryLock(20, TimeUnit.MICROSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SPIN mode: the reader never reads the socket, so this thread waits on it for end-of-stream. */
    private void watchLoop() {
        try {
            while (running) {
                if (doorbell.await() < 0) {
                    eofSeen = true;
                    return;
                }
            }
        } catch (IOException e) {
            eofSeen = true;
        }
    }
}
