package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.SendTimeoutException;
import io.rapace.shm.ShmTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One session between a host (PeerA) and a plugin (PeerB) over one segment and a doorbell of two Unix-domain
 * socket connections (one per direction, see {@code SocketDoorbell}).
 *
 * <p>Life: the host {@link #listen}s (segment and socket created, both mode 0600, named
 * {@code rapace-<pid>-<random>} in {@code /dev/shm}), hands the two paths to the plugin, and
 * {@link Listening#accept}s; the plugin {@link #connect}s. As soon as the plugin has mapped the segment and
 * connected, both names are unlinked (by whichever side gets there first), so nothing stays on disk whatever
 * happens next. Each side then sends its {@link Hello} on channel 0 and checks the other's. A session ends exactly
 * once ({@link SessionListener#onClosed}): by {@link #close()} (GoAway, drain, close), by the peer's GoAway, by
 * end-of-stream on the socket (the peer process died: reported at once), by the watched process's exit, by a
 * heartbeat timeout, or by a protocol violation. Ending reclaims everything: threads stop, the socket closes, the
 * segment's memory fails every later access and its file is gone.
 *
 * <p>Threads: one reader (polls the inbound ring, spins briefly, then sleeps on the doorbell; delivers frames to the
 * listener on itself), one liveness timer (beats every heartbeat interval and watches the peer's beats), and in
 * {@link WakeMode#SPIN} one watcher blocked on the socket for end-of-stream. Sends may come from any thread.
 *
 * <p>The code, by concern: {@code SessionSetup} (listen, connect, the start and the Hello) with {@code Acceptor} (the
 * host's accept); {@code SessionReader} (the reader thread, wake modes, callers that poll, threads working for the
 * peer); {@code LivenessTimer} (heartbeats, the peer timeout, the watched process); {@code Inbound} (each frame that
 * comes: the peer's Hello, dropped frames) and {@code ChannelZero} (the session verbs both ways). This class holds
 * what they share, the public surface and the one way a session ends ({@code end}).
 */
public final class Session implements FrameTransport, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration GOAWAY_DRAIN = Duration.ofMillis(200);

    private final int id = IDS.incrementAndGet();
    private final PeerRole role;
    private final SessionConfig config;
    private final Segment segment;
    private final ShmTransport transport;
    private final Doorbell doorbell;
    private final SessionListener listener;
    private final CompletableFuture<Hello> peerHello = new CompletableFuture<>();
    private final CompletableFuture<CloseCause> closed = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicLong nextChannel;
    private final ChannelZero channelZero;
    private final SessionReader reader;
    private final LivenessTimer liveness;
    private volatile boolean peerGoingAway;
    private volatile CloseCause cause;
    private volatile String closeDetail;

    Session(PeerRole role, SessionConfig config, Segment segment, Doorbell doorbell, SessionListener listener) {
        this.role = role;
        this.config = config;
        this.segment = segment;
        this.doorbell = doorbell;
        this.listener = listener;
        this.transport = ShmTransport.open(segment, role, config.maxMessageSize(), doorbell::ring);
        this.nextChannel = new AtomicLong(role == PeerRole.PEER_A ? 1 : 2);
        this.channelZero = new ChannelZero(this, transport, listener, peerHello);
        Inbound handler = new Inbound(this, role, nextChannel, transport, listener, peerHello, channelZero);
        this.transport.channelPolicy(handler::mayUse);
        String name = "rapace-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + id;
        this.reader = new SessionReader(this, config, transport, doorbell, handler, name);
        this.liveness = new LivenessTimer(this, config, transport, name);
    }

    static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the reader, the liveness timer and, in spin mode, the watcher ({@link SessionSetup#start}). */
    void startThreads() {
        reader.thread().start();
        liveness.thread().start();
        if (reader.watcher() != null) {
            reader.watcher().start();
        }
    }

    // =====================================================================================================
    // setting up (SessionSetup, Acceptor)

    /**
     * PeerA: removes files of dead processes from the directory, then creates the segment and the listening
     * socket. Give {@link Listening#segmentPath()} and {@link Listening#socketPath()} to the plugin, then
     * {@link Listening#accept}.
     */
    public static Listening listen(SessionConfig config) throws IOException {
        return SessionSetup.listen(config);
    }

    /**
     * PeerB: maps the host's segment, connects to its socket twice (the host's wake-ups to us, then ours to the
     * host), unlinks both names and shakes hands.
     */
    public static Session connect(Path segmentPath, Path socketPath, SessionConfig config, SessionListener listener)
            throws IOException {
        return SessionSetup.connect(segmentPath, socketPath, config, listener);
    }

    /**
     * The host's half of a session before the plugin connected: a segment file and a listening socket in the
     * directory. Closing it deletes both files, from any thread and at any time, including while another thread waits
     * in {@link #accept} (which then fails at once). Files of a listening that is never accepted nor closed are
     * deleted when the JVM exits (a shutdown hook), so no order of launch, failure, close and exit leaves them behind;
     * only a SIGKILL does, until the next {@link Session#listen} in that directory ({@link Segment#removeStale}).
     */
    public static final class Listening implements AutoCloseable {
        private final Acceptor acceptor;

        Listening(Acceptor acceptor) {
            this.acceptor = acceptor;
        }

        public Path segmentPath() {
            return acceptor.segmentPath();
        }

        public Path socketPath() {
            return acceptor.socketPath();
        }

        /** The memory backend the segment uses: {@code jdk} or {@code chronicle}. */
        public String backend() {
            return acceptor.backend();
        }

        /**
         * Waits up to {@code timeout} for the plugin to connect, unlinks the socket path and the segment file,
         * then shakes hands. On any failure, and when {@link #close} is called meanwhile, everything is reclaimed.
         *
         * @throws SessionException if no plugin connected in time, or the listening was closed
         */
        public Session accept(SessionListener listener, Duration timeout) throws IOException {
            return acceptor.accept(listener, timeout);
        }

        /**
         * Abandons a listening that was not accepted: socket, files and mapping all go. If {@link #accept} is waiting
         * in another thread, it wakes and fails; after a successful accept this does nothing (the session owns
         * everything).
         */
        @Override
        public void close() throws IOException {
            acceptor.close();
        }
    }

    // =====================================================================================================
    // public surface

    /** The settings this side started the session with. */
    SessionConfig config() {
        return config;
    }

    /** Whether this session's frames carry checksums: both sides offered them ({@link SessionConfig#frameChecksums}). */
    public boolean frameChecksums() {
        return transport.sendsChecksums();
    }

    @Override
    public PeerRole role() {
        return role;
    }

    /** The peer's id from its Hello, or {@code ""} before the handshake. */
    @Override
    public String peerId() {
        Hello hello = peerHello();
        return hello == null ? "" : hello.peerId();
    }

    /** This side's maximum message size (from its configuration); the peer's comes with its Hello. */
    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    /** True in {@link WakeMode#SPIN}: a caller then polls for its answer for the whole of its wait. */
    @Override
    public boolean spinMode() {
        return config.wakeMode() == WakeMode.SPIN;
    }

    /** The peer's Hello (identity, limits, served methods). */
    public Hello peerHello() {
        return peerHello.getNow(null);
    }

    /** How this side's reader waits for frames. */
    public WakeMode wakeMode() {
        return config.wakeMode();
    }

    /** {@code jdk} or {@code chronicle}: the memory backend this side uses. */
    public String backend() {
        return segment.backend();
    }

    @Override
    public boolean isOpen() {
        return !ended.get();
    }

    /** Why the session ended, or null while it is open. */
    @Override
    public CloseCause closeCause() {
        return cause;
    }

    @Override
    public String closeDetail() {
        return closeDetail;
    }

    /** Completes with the cause when the session has ended and reclaimed everything. */
    public CompletableFuture<CloseCause> closed() {
        return closed;
    }

    /** Waits up to {@code timeout} for the session to end; returns the cause or null if it did not end. */
    public CloseCause awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Counts, by kind, of the peer's frames dropped as invalid. */
    public Map<InvalidFrameKind, Long> invalidFrames() {
        return transport.invalidFrames();
    }

    /** How many times the reader went to sleep on the doorbell. */
    public long sleeps() {
        return reader.sleeps();
    }

    /** The host learns of the plugin process's exit at once, without waiting for the socket or the heartbeat. */
    public void watch(ProcessHandle process) {
        liveness.watch(process);
    }

    /** A new channel id of this side's parity (odd for PeerA, even for PeerB), open until {@link #closeChannel}. */
    @Override
    public int openChannel() {
        long next = nextChannel.getAndAdd(2);
        if (next > 0xFFFF_FFFFL) {
            close();
            throw new IllegalStateException("channel ids are exhausted (u32); the session is closing with GoAway");
        }
        int channel = (int) next;
        return channel;
    }

    public void closeChannel(int channelId) {
        // nothing to free: a channel this side opened stays valid for late frames (see Inbound.mayUse)
    }

    /** Sends on a data channel with the configured send timeout. */
    public void send(int channelId, int methodId, int flags, ByteBuffer payload) throws SendTimeoutException {
        send(channelId, methodId, flags, 0, payload, config.sendTimeout());
    }

    /** Encodes in place into this side's slot and sends, with the configured send timeout. */
    public void send(int channelId, int methodId, int flags, PayloadEncoder body) throws SendTimeoutException {
        send(channelId, methodId, flags, 0, body, config.sendTimeout());
    }

    /**
     * Sends {@code payload} (position to limit) on {@code channelId}, waiting up to {@code timeout} for ring space
     * and free slots (the RPC layer passes the call's remaining deadline).
     *
     * @throws SendTimeoutException the ring stayed full or the pool exhausted for the whole timeout
     * @throws IllegalStateException the session has ended (the message says why)
     */
    public void send(int channelId, int methodId, int flags, int creditGrant, ByteBuffer payload, Duration timeout)
            throws SendTimeoutException {
        checkDataChannel(channelId);
        transport.send(channelId, methodId, flags, creditGrant, payload, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** As {@link #send(int, int, int, int, ByteBuffer, Duration)}, encoding in place. */
    public void send(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body, Duration timeout)
            throws SendTimeoutException {
        sendFrame(channelId, methodId, flags, creditGrant, body, timeout.toNanos());
    }

    /** As {@link #send(int, int, int, int, PayloadEncoder, Duration)}; returns the payload bytes written. */
    @Override
    public int sendFrame(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body,
            long timeoutNanos) throws SendTimeoutException {
        checkDataChannel(channelId);
        return transport.send(channelId, methodId, flags, creditGrant, body, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static void checkDataChannel(int channelId) {
        if (channelId == 0) {
            throw new IllegalArgumentException("channel 0 carries session verbs only");
        }
    }

    /**
     * Sends a channel-0 verb of the RPC layer (7 ListServices, 8 GetService, 9 GetMethod, 10 GetSchema,
     * 11 Initialize, 12 Shutdown), a request or its answer; the RPC layer serves and asks them, the session only
     * carries them.
     */
    public void sendVerb(int verb, int flags, PayloadEncoder body, Duration timeout) throws SendTimeoutException {
        sendVerb(verb, flags, body, timeout.toNanos());
    }

    /** As {@link #sendVerb(int, int, PayloadEncoder, Duration)}, the timeout in nanoseconds. */
    @Override
    public void sendVerb(int verb, int flags, PayloadEncoder body, long timeoutNanos) throws SendTimeoutException {
        if (verb < ControlVerb.LIST_SERVICES || verb > ControlVerb.SHUTDOWN) {
            throw new IllegalArgumentException("not a verb of the RPC layer (7..12): " + verb);
        }
        transport.send(0, verb, flags | FrameFlags.CONTROL, 0, body, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Tells the peer this side will open nothing new (GoAway on channel 0) without ending the session: calls in
     * flight go on, so the two sides can drain before {@link #close()}. Idempotent; {@link #close()} sends no second
     * GoAway after it.
     */
    @Override
    public void goAway(String reason) throws SendTimeoutException {
        channelZero.goAwayOnce(reason, config.sendTimeout());
    }

    /** True once the peer sent GoAway: it will open no new call. */
    public boolean peerGoingAway() {
        return peerGoingAway;
    }

    /** Round trip of a Ping on channel 0, in nanoseconds. */
    public long ping(Duration timeout) throws SendTimeoutException, TimeoutException, InterruptedException {
        return channelZero.ping(timeout);
    }

    /**
     * Ends the session in order: sends GoAway, waits briefly for the peer to consume what was sent, then closes the
     * socket and reclaims everything. Idempotent.
     */
    @Override
    public void close() {
        if (ended.get()) {
            return;
        }
        try {
            channelZero.goAwayOnce("closing", Duration.ofMillis(100));
            long until = System.nanoTime() + GOAWAY_DRAIN.toNanos();
            while (transport.outboundBacklog() > 0 && System.nanoTime() - until < 0 && !ended.get()) {
                LockSupport.parkNanos(100_000);
            }
        } catch (SendTimeoutException | RuntimeException e) {
            // the peer is not consuming or the session is already ending: close anyway
        }
        end(CloseCause.LOCAL_CLOSE, "closed by this side");
    }

    /**
     * Polls the inbound ring on the calling thread, delivering every frame as the reader would, until {@code done} is
     * true or {@code timeoutNanos} passed; returns whether {@code done} became true. A caller waiting for its own
     * response gets it without a hand-off from the reader thread.
     *
     * <p>In {@link WakeMode#SPIN} the reader stays parked meanwhile, so the process keeps one spinning thread; pass
     * the call's whole remaining time. In the other modes the reader may be asleep on the doorbell while the caller
     * polls (it is woken, off the caller's path, by the peer's doorbell byte); pass a short spin budget (tens of
     * microseconds), then wait as usual. Returns false at once once the session ended.
     */
    @Override
    public boolean pollUntil(BooleanSupplier done, long timeoutNanos) {
        return reader.pollUntil(done, timeoutNanos);
    }

    /**
     * Tells the session a thread of this process starts ({@code +1}) or stops ({@code -1}) working for the peer:
     * streaming to it, or running a handler of its call. In spin mode the reader then polls only every few tens of
     * microseconds, leaving the core to that thread (on a small machine an idle spinning reader would take it), and is
     * woken the moment the last such thread stops; a stream's credit window is large enough that grants read that
     * late never hold it up.
     */
    @Override
    public void working(int delta) {
        reader.working(delta);
    }

    /**
     * Leader/follower serving, outside {@link WakeMode#SPIN}: when the calling thread is the reader delivering frames
     * now, it runs {@code call} after this poll's frames, and another thread takes over the reading if the call runs
     * long ({@code SessionReader}); false otherwise (or for a second call of the same poll).
     */
    @Override
    public void callStarting() {
        liveness.callStarting();
    }

    /** Whether the liveness timer beats at the quiet cadence now (for tests). */
    boolean quietLiveness() {
        return liveness.quiet();
    }

    /** The peer's heartbeat epoch as this side reads it (for tests). */
    long peerEpoch() {
        return transport.peerEpoch();
    }

    /** Whether the listener says at most one call is in flight (a scheduling hint for the reader and callers). */
    boolean atMostOneCall() {
        return listener.atMostOneCall(this);
    }

    /** Whether the listener says something waits on the peer now (for the liveness cadence). */
    boolean waitingOnPeer() {
        return listener.waitingOnPeer(this);
    }

    @Override
    public boolean serveOnDeliveringThread(Runnable call) {
        return reader.serveHere(call);
    }

    @Override
    public void aboutToBlock() {
        reader.aboutToBlock();
    }

    // =====================================================================================================
    // ending

    /** The reader saw end-of-stream on the doorbell socket: the peer closed after its GoAway, or died. */
    void peerGone() {
        if (peerGoingAway) {
            end(CloseCause.PEER_GOAWAY, "the peer sent GoAway and closed");
        } else {
            end(CloseCause.END_OF_STREAM, "the doorbell socket reached end-of-stream: the peer process is gone");
        }
    }

    /** Ends the session once: stops sends and threads, closes the socket and the segment, tells the listener. */
    void end(CloseCause why, String detail) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        cause = why;
        closeDetail = detail;
        reader.stop();
        transport.abortSends("session closed (" + why + "): " + detail);
        doorbell.close();
        LockSupport.unpark(liveness.thread());
        Thread self = Thread.currentThread();
        joinQuietly(reader.leader(), self);
        joinQuietly(liveness.thread(), self);
        if (reader.watcher() != null) {
            joinQuietly(reader.watcher(), self);
        }
        segment.close();
        try {
            segment.unlink();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not unlink " + segment.path() + ": " + e);
        }
        SessionException failure = new SessionException("session ended (" + why + "): " + detail);
        peerHello.completeExceptionally(failure);
        channelZero.failPings(failure);
        try {
            listener.onClosed(this, why, detail);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "session listener failed in onClosed", e);
        }
        closed.complete(why);
    }

    private static void joinQuietly(Thread t, Thread self) {
        if (t == self || !t.isAlive()) {
            return;
        }
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // =====================================================================================================
    // for the classes beside this one

    int id() {
        return id;
    }

    /** False once the session ended; the loops of the reader and the liveness timer check it. */
    boolean running() {
        return reader.running();
    }

    /** The peer's GoAway came ({@link ChannelZero}). */
    void peerSentGoAway() {
        peerGoingAway = true;
    }

    /** Channel 0's session verbs ({@link SessionSetup#start} sends this side's Hello there). */
    ChannelZero channelZero() {
        return channelZero;
    }

    /** Completes with the peer's checked Hello, or exceptionally once the session ends ({@link SessionSetup#start}). */
    CompletableFuture<Hello> peerHelloFuture() {
        return peerHello;
    }

    /** For tests that play a hostile peer: the segment and a way to ring the peer's doorbell. */
    Segment segment() {
        return segment;
    }

    void ringPeer() {
        doorbell.ring();
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + role + (cause == null ? ", open" : ", " + cause) + "]";
    }
}
