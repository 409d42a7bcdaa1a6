package io.rapace.session;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Which thread reads a {@link Session}'s ring outside spin mode: leader/follower with a lazy hand-off. The thread
 * that reads (the leader) may serve a call it just delivered ({@link SessionReader#serveHere}); it runs the handler
 * itself ({@link #serve}), so the handler starts on the thread that woke, and a quick handler costs no thread switch
 * at all: the leader reads on when it returns. A hand-off watchdog (one thread per session, started at the first
 * such call) makes a follower (an idle reader thread, or a new one) the leader when a handler has run for
 * {@link #HAND_OFF_AFTER_NANOS}, so a handler that blocks holds up the ring for at most about twice that, never for
 * good. A thread whose handler outlived its leadership waits as a follower until it is needed again
 * ({@link #awaitLeadership}; at most {@value #MAX_IDLE_FOLLOWERS} wait, the rest end, as does one idle for
 * {@link #FOLLOWER_KEEP_ALIVE_NANOS}). A leader that is about to wait in the runtime for the peer's frames (a
 * nested call's answer, stream credit) hands the reading on at once ({@link #aboutToBlock}), so the watchdog is only
 * for handlers that block in their own code.
 *
 * <p>The watchdog costs a timer wake-up each time it looks, about as much CPU as a whole quick call, so it does not
 * look per call: while a call is served it looks when that call reaches {@link #HAND_OFF_AFTER_NANOS}; otherwise every
 * {@link #IDLE_LOOK_NANOS} for {@link #WATCH_LINGER_NANOS} after the last call served, then it sleeps until the next
 * one. A handler that blocks thus holds up the ring for at most about {@link #IDLE_LOOK_NANOS} plus
 * {@link #HAND_OFF_AFTER_NANOS}.
 */
final class ReaderLeadership {
    private static final int MAX_IDLE_FOLLOWERS = 4;
    private static final long FOLLOWER_KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A handler the leader runs longer than this gets the reading handed to a follower. */
    static final long HAND_OFF_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How often the watchdog looks while no call it knows of is served. */
    static final long IDLE_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    /** How long the hand-off watchdog keeps looking after the last call served before it sleeps. */
    private static final long WATCH_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    /** The body of every reader thread ({@code SessionReader.readLoop}). */
    private final Runnable readLoop;
    /** False once the session ended. */
    private final BooleanSupplier running;
    /** The thread that reads now: the first reader thread at first, then whichever follower took over. */
    private volatile Thread leader;
    /** Threads that served a call and wait to lead again, most recent last (guarded by itself). */
    private final ArrayDeque<Thread> idleFollowers = new ArrayDeque<>();
    private final AtomicInteger followerNumber = new AtomicInteger();
    /** When the thread {@link #servingThread} started serving a call as leader; 0 while none does. */
    private volatile long servingSince;
    private volatile Thread servingThread;
    /** How many calls leaders served (written under the {@link #idleFollowers} monitor). */
    private volatile long callsServed;
    /** The hand-off watchdog, started at the first call served by a leader; null before. */
    private volatile Thread handOffWatch;
    /** The watchdog sleeps until a leader serves again (it must then be woken). */
    private volatile boolean watchAsleep;

    ReaderLeadership(Thread first, String name, Runnable readLoop, BooleanSupplier running) {
        this.leader = first;
        this.name = name;
        this.readLoop = readLoop;
        this.running = running;
    }

    /** The thread that reads now. */
    Thread leader() {
        return leader;
    }

    /** Wakes the watchdog and the idle followers, which end: the session's running flag is already cleared. */
    void stop() {
        Thread watch = handOffWatch;
        if (watch != null) {
            LockSupport.unpark(watch);
        }
        synchronized (idleFollowers) {
            for (Thread follower : idleFollowers) {
                LockSupport.unpark(follower);
            }
        }
    }

    /**
     * Runs {@code call} as the leader, the watchdog ready to hand the reading on if it runs long; true when this
     * thread is still the leader afterwards.
     */
    boolean serve(Runnable call) {
        Thread self = Thread.currentThread();
        synchronized (idleFollowers) {
            servingThread = self;
            servingSince = System.nanoTime();
            callsServed++;
        }
        Thread watch = handOffWatch;
        if (watch == null) {
            watch = Session.daemon(this::handOffLoop, name + "-hand-off");
            handOffWatch = watch;
            watch.start();
        } else if (watchAsleep) {
            LockSupport.unpark(watch);
        }
        try {
            call.run(); // never throws: the engine's handler runner reports what its handler throws
        } finally {
            synchronized (idleFollowers) {
                // Only if no later leader serves now: one that took over while this call ran may serve its own.
                if (servingThread == self) {
                    servingSince = 0;
                    servingThread = null;
                }
            }
        }
        return leader == self;
    }

    /**
     * The leader serving a call on this thread is about to wait for the peer's frames: a follower reads from now on.
     * Cheap when this thread does not serve as the leader.
     */
    void aboutToBlock() {
        long since = servingSince;
        if (since != 0 && servingThread == Thread.currentThread() && leader == servingThread) {
            handOff(since);
        }
    }

    /** The hand-off watchdog: a leader serving for {@link #HAND_OFF_AFTER_NANOS} loses the reading to a follower. */
    private void handOffLoop() {
        long lastServed = System.nanoTime();
        long servedBefore = callsServed;
        while (running.getAsBoolean()) {
            long since = servingSince;
            long now = System.nanoTime();
            long served = callsServed;
            if (served != servedBefore) {
                servedBefore = served;
                lastServed = now;
            }
            if (since != 0) {
                lastServed = now;
                if (now - since >= HAND_OFF_AFTER_NANOS) {
                    handOff(since);
                    LockSupport.parkNanos(this, HAND_OFF_AFTER_NANOS);
                } else {
                    LockSupport.parkNanos(this, since + HAND_OFF_AFTER_NANOS - now);
                }
            } else if (now - lastServed < WATCH_LINGER_NANOS) {
                LockSupport.parkNanos(this, IDLE_LOOK_NANOS);
            } else {
                // asleep, then look again (Dekker with serve: it sets servingSince, then reads watchAsleep)
                watchAsleep = true;
                if (servingSince == 0 && running.getAsBoolean()) {
                    LockSupport.park(this);
                }
                watchAsleep = false;
                lastServed = System.nanoTime();
            }
        }
    }

    /**
     * Makes a follower (an idle one, or a new thread) the leader in place of the thread serving since {@code since},
     * unless that call ended or the reading was handed on already.
     */
    private void handOff(long since) {
        Thread next;
        boolean fresh = false;
        synchronized (idleFollowers) {
            if (!running.getAsBoolean() || servingSince != since || leader != servingThread) {
                return;
            }
            next = idleFollowers.pollLast();
            if (next == null) {
                next = Session.daemon(readLoop, name + "-reader-" + followerNumber.incrementAndGet());
                fresh = true;
            }
            leader = next;
        }
        if (fresh) {
            next.start();
        } else {
            LockSupport.unpark(next);
        }
    }

    /** Waits, as an idle follower, until this thread leads again (true) or is not needed any more (false). */
    boolean awaitLeadership() {
        Thread self = Thread.currentThread();
        synchronized (idleFollowers) {
            if (!running.getAsBoolean() || idleFollowers.size() >= MAX_IDLE_FOLLOWERS) {
                return false;
            }
            idleFollowers.addLast(self);
        }
        long until = System.nanoTime() + FOLLOWER_KEEP_ALIVE_NANOS;
        while (leader != self) {
            long left = until - System.nanoTime();
            if (!running.getAsBoolean() || left <= 0) {
                synchronized (idleFollowers) {
                    if (idleFollowers.remove(self)) {
                        return false;
                    }
                }
                continue; // promoted meanwhile: lead
            }
            LockSupport.parkNanos(this, left);
        }
        return running.getAsBoolean();
    }
}
