package io.rapace.session;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.SendTimeoutException;
import io.rapace.shm.ShmTransport;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 */
public final class Session implements FrameTransport, AutoCloseable {
    /** Error codes this layer puts in ERROR frames (DESIGN section 6). */
    static final int RESOURCE_EXHAUSTED = 7;
    static final int FAILED_PRECONDITION = 8;
    static final int VALIDATION_FAILED = 102;
    static final int STALE_GENERATION = 103;

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int POLL_BATCH = 64;
    private static final Duration GOAWAY_DRAIN = Duration.ofMillis(200);
    private static final long SPIN_YIELD_AFTER_NANOS = 5_000_000;
    private static final long CALLER_POLL_PARK_NANOS = 200_000;
    private static final long WORKER_PARK_NANOS = 20_000;

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
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    /** Who polls the inbound ring (SPSC: one thread at a time): the reader, or a caller in {@link #pollUntil}. */
    private final ReentrantLock pollRole = new ReentrantLock();
    /** Callers in {@link #pollUntil} right now; while there are any, the spin-mode reader stays off the CPU. */
    private final AtomicInteger pollingCallers = new AtomicInteger();
    private final Handler handler = new Handler();
    /** Threads of this process working for the peer now: streaming to it, running its handlers ({@link #working}). */
    private final AtomicInteger workers = new AtomicInteger();
    /** The reader sleeps on the doorbell (written and read under {@link #pollRole}). */
    private volatile boolean readerAsleep;
    private final AtomicLong nextChannel;
    private final Map<Long, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
    private final AtomicLong nextPing = new AtomicLong();
    private final AtomicLong sleeps = new AtomicLong();
    private final Thread reader;
    private final Thread liveness;
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile boolean peerGoingAway;
    private volatile boolean eofSeen;
    private volatile CloseCause cause;
    private volatile String closeDetail;

    private Session(PeerRole role, SessionConfig config, Segment segment, Doorbell doorbell,
            SessionListener listener) {
        this.role = role;
        this.config = config;
        this.segment = segment;
        this.doorbell = doorbell;
        this.listener = listener;
        this.transport = ShmTransport.open(segment, role, config.maxMessageSize(), doorbell::ring);
        this.transport.channelPolicy(this::mayUse);
        this.nextChannel = new AtomicLong(role == PeerRole.PEER_A ? 1 : 2);
        String name = "rapace-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + id;
        this.reader = daemon(this::readLoop, name + "-reader");
        this.liveness = daemon(this::livenessLoop, name + "-liveness");
        this.watcher = config.wakeMode() == WakeMode.SPIN ? daemon(this::watchLoop, name + "-watcher") : null;
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    // =====================================================================================================
    // setting up

    /**
     * PeerA: removes files of dead processes from the directory, then creates the segment and the listening
     * socket. Give {@link Listening#segmentPath()} and {@link Listening#socketPath()} to the plugin, then
     * {@link Listening#accept}.
     */
    public static Listening listen(SessionConfig config) throws IOException {
        Segment.checkDirectory(config.directory());
        Segment.removeStale(config.directory());
        Segment segment = Segment.create(config.directory(), config.geometry());
        Path socketPath = config.directory().resolve(Segment.newFileName(".sock"));
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
            return new Listening(config, segment, server, socketPath);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socketPath);
            segment.close();
            segment.unlink();
            throw new SessionException("cannot listen on " + socketPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * PeerB: maps the host's segment, connects to its socket twice (the host's wake-ups to us, then ours to the
     * host), unlinks both names and shakes hands.
     */
    public static Session connect(Path segmentPath, Path socketPath, SessionConfig config, SessionListener listener)
            throws IOException {
        Segment segment = Segment.attach(segmentPath);
        SocketChannel toPlugin = null;
        SocketChannel toHost = null;
        try {
            // Two connections, in this order: the host's wake-ups to us, then ours to the host.
            toPlugin = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
            toHost = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException | RuntimeException e) {
            closeQuietly(toPlugin);
            segment.close();
            throw new SessionException("cannot connect to the host's socket " + socketPath + ": " + e, e);
        }
        // Both names can go now: the segment is mapped and the connections made.
        Files.deleteIfExists(socketPath);
        segment.unlink();
        return start(PeerRole.PEER_B, config, segment, new SocketDoorbell(toPlugin, toHost), listener);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // giving up anyway
            }
        }
    }

    private static Session start(PeerRole role, SessionConfig config, Segment segment, Doorbell doorbell,
            SessionListener listener) throws SessionException {
        Session s = new Session(role, config, segment, doorbell, listener);
        s.reader.start();
        s.liveness.start();
        if (s.watcher != null) {
            s.watcher.start();
        }
        Hello mine = new Hello(Hello.PROTOCOL_MAJOR, Hello.PROTOCOL_MINOR, role, 0, config.maxMessageSize(),
                config.peerId(), ProcessHandle.current().pid(), config.methods());
        try {
            s.sendControl(ControlVerb.HELLO, mine::encode, config.handshakeTimeout());
            s.peerHello.get(config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return s;
        } catch (SendTimeoutException e) {
            s.end(CloseCause.PROTOCOL_VIOLATION, "the peer does not consume: " + e.getMessage());
            throw new SessionException("handshake failed: could not send Hello: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            s.end(CloseCause.PROTOCOL_VIOLATION, "no Hello from the peer within " + config.handshakeTimeout());
            throw new SessionException("handshake failed: no Hello from the peer within "
                    + config.handshakeTimeout().toMillis() + " ms");
        } catch (ExecutionException | IllegalStateException e) {
            s.awaitClosed(Duration.ofSeconds(5));
            throw new SessionException("handshake failed: " + s.closeDetail, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.end(CloseCause.LOCAL_CLOSE, "interrupted during the handshake");
            throw new SessionException("interrupted during the handshake", e);
        }
    }

    /**
     * The host's half of a session before the plugin connected: a segment file and a listening socket in the
     * directory. Closing it deletes both files, from any thread and at any time, including while another thread waits
     * in {@link #accept} (which then fails at once). Files of a listening that is never accepted nor closed are
     * deleted when the JVM exits (a shutdown hook), so no order of launch, failure, close and exit leaves them behind;
     * only a SIGKILL does, until the next {@link Session#listen} in that directory ({@link Segment#removeStale}).
     */
    public static final class Listening implements AutoCloseable {
        /** Listenings whose files exist, for the shutdown hook. */
        private static final Set<Listening> PENDING = ConcurrentHashMap.newKeySet();
        private static final AtomicBoolean HOOK = new AtomicBoolean();

        private final SessionConfig config;
        private final Segment segment;
        private final ServerSocketChannel server;
        private final Path socketPath;
        /** Guarded by this. */
        private State state = State.OPEN;
        /** Guarded by this: the selector {@link #accept} waits on, so {@link #close} can wake it. */
        private Selector selector;

        private enum State { OPEN, ACCEPTING, ACCEPTED, CLOSED }

        private Listening(SessionConfig config, Segment segment, ServerSocketChannel server, Path socketPath) {
            this.config = config;
            this.segment = segment;
            this.server = server;
            this.socketPath = socketPath;
            PENDING.add(this);
            if (HOOK.compareAndSet(false, true)) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(Listening::unlinkPending,
                            "rapace-unlink-pending-segments"));
                } catch (IllegalStateException e) {
                    // the JVM is already exiting: nothing can be registered, the close paths still unlink
                }
            }
        }

        private static void unlinkPending() {
            for (Listening l : PENDING) {
                l.unlinkNames();
            }
        }

        public Path segmentPath() {
            return segment.path();
        }

        public Path socketPath() {
            return socketPath;
        }

        /** The memory backend the segment uses: {@code jdk} or {@code chronicle}. */
        public String backend() {
            return segment.backend();
        }

        /**
         * Waits up to {@code timeout} for the plugin to connect, unlinks the socket path and the segment file,
         * then shakes hands. On any failure, and when {@link #close} is called meanwhile, everything is reclaimed.
         *
         * @throws SessionException if no plugin connected in time, or the listening was closed
         */
        public Session accept(SessionListener listener, Duration timeout) throws IOException {
            Selector waitOn;
            synchronized (this) {
                if (state == State.ACCEPTING || state == State.ACCEPTED) {
                    throw new IllegalStateException("accept() was already called");
                }
                if (state == State.CLOSED) {
                    throw closedBeforeConnect();
                }
                state = State.ACCEPTING;
                try {
                    waitOn = Selector.open();
                } catch (IOException e) {
                    state = State.OPEN;
                    throw new SessionException("cannot wait for a plugin on " + socketPath + ": " + e.getMessage(), e);
                }
                selector = waitOn;
            }
            SocketChannel[] channels = new SocketChannel[2];
            try (waitOn) {
                server.configureBlocking(false);
                server.register(waitOn, SelectionKey.OP_ACCEPT);
                long deadline = System.nanoTime() + timeout.toNanos();
                // The plugin connects twice: first the channel it reads (our wake-ups), then the one we read.
                for (int i = 0; i < 2; i++) {
                    while (channels[i] == null) {
                        if (isClosed()) {
                            throw closedBeforeConnect();
                        }
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        if (left <= 0) {
                            throw new SessionException("no plugin connected to " + socketPath + " within "
                                    + timeout.toMillis() + " ms");
                        }
                        waitOn.select(left);
                        waitOn.selectedKeys().clear();
                        if (isClosed()) {
                            throw closedBeforeConnect();
                        }
                        channels[i] = server.accept();
                    }
                }
                synchronized (this) {
                    if (state == State.CLOSED) {
                        throw closedBeforeConnect();
                    }
                    state = State.ACCEPTED;
                    selector = null;
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(channels[0]);
                closeQuietly(channels[1]);
                boolean closedMeanwhile;
                synchronized (this) {
                    closedMeanwhile = state == State.CLOSED;
                    state = State.CLOSED;
                    selector = null;
                }
                reclaim();
                segment.close();
                if (e instanceof SessionException se) {
                    throw se;
                }
                if (closedMeanwhile) { // close() closed the server socket under an accept
                    SessionException closed = closedBeforeConnect();
                    closed.initCause(e);
                    throw closed;
                }
                throw new SessionException("accept on " + socketPath + " failed: " + e.getMessage(), e);
            }
            reclaim();
            return start(PeerRole.PEER_A, config, segment, new SocketDoorbell(channels[1], channels[0]), listener);
        }

        private synchronized boolean isClosed() {
            return state == State.CLOSED;
        }

        private SessionException closedBeforeConnect() {
            return new SessionException("the listening on " + socketPath + " was closed before a plugin connected");
        }

        /** Closes the listening socket and removes both names; the segment stays mapped for the session. */
        private void reclaim() throws IOException {
            server.close();
            unlinkNames();
        }

        /** Deletes the socket path and the segment file (idempotent; each file once). */
        private void unlinkNames() {
            PENDING.remove(this);
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + socketPath + ": " + e.getMessage());
            }
            try {
                segment.unlink();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + segment.path() + ": " + e.getMessage());
            }
        }

        /**
         * Abandons a listening that was not accepted: socket, files and mapping all go. If {@link #accept} is waiting
         * in another thread, it wakes and fails; after a successful accept this does nothing (the session owns
         * everything).
         */
        @Override
        public void close() throws IOException {
            Selector waiting;
            boolean open;
            synchronized (this) {
                if (state == State.ACCEPTED || state == State.CLOSED) {
                    return;
                }
                open = state == State.OPEN;
                state = State.CLOSED;
                waiting = selector;
            }
            if (waiting != null) {
                try {
                    waiting.wakeup(); // the accepting thread sees CLOSED and reclaims what is left
                } catch (java.nio.channels.ClosedSelectorException e) {
                    // the accept is over already
                }
            }
            reclaim();
            if (open) {
                segment.close();
            }
        }
    }

    // =====================================================================================================
    // public surface

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
        return sleeps.get();
    }

    /** The host learns of the plugin process's exit at once, without waiting for the socket or the heartbeat. */
    public void watch(ProcessHandle process) {
        process.onExit().thenRun(() -> end(peerGoingAway ? CloseCause.PEER_GOAWAY : CloseCause.PROCESS_EXIT,
                "the peer process " + process.pid() + " exited"));
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
        // nothing to free: a channel this side opened stays valid for late frames (see mayUse)
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
     * Sends a channel-0 introspection verb (7 ListServices, 8 GetService, 9 GetMethod, 10 GetSchema), a request or
     * its answer; the RPC layer serves and asks them, the session only carries them.
     */
    public void sendVerb(int verb, int flags, PayloadEncoder body, Duration timeout) throws SendTimeoutException {
        sendVerb(verb, flags, body, timeout.toNanos());
    }

    /** As {@link #sendVerb(int, int, PayloadEncoder, Duration)}, the timeout in nanoseconds. */
    @Override
    public void sendVerb(int verb, int flags, PayloadEncoder body, long timeoutNanos) throws SendTimeoutException {
        if (verb < ControlVerb.LIST_SERVICES || verb > ControlVerb.GET_SCHEMA) {
            throw new IllegalArgumentException("not an introspection verb: " + verb);
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
        if (goAwaySent.compareAndSet(false, true)) {
            sendControl(ControlVerb.GO_AWAY, new GoAway(0, reason)::encode, config.sendTimeout());
        }
    }

    /** True once the peer sent GoAway: it will open no new call. */
    public boolean peerGoingAway() {
        return peerGoingAway;
    }

    /** Round trip of a Ping on channel 0, in nanoseconds. */
    public long ping(Duration timeout) throws SendTimeoutException, TimeoutException, InterruptedException {
        long nonce = nextPing.incrementAndGet();
        CompletableFuture<Long> pong = new CompletableFuture<>();
        pings.put(nonce, pong);
        try {
            long start = System.nanoTime();
            sendControl(ControlVerb.PING, w -> w.writeU64(nonce), timeout);
            pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return System.nanoTime() - start;
        } catch (ExecutionException e) {
            throw new IllegalStateException("session ended before the Pong: " + closeDetail, e);
        } finally {
            pings.remove(nonce);
        }
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
            if (goAwaySent.compareAndSet(false, true)) {
                sendControl(ControlVerb.GO_AWAY, new GoAway(0, "closing")::encode, Duration.ofMillis(100));
            }
            long until = System.nanoTime() + GOAWAY_DRAIN.toNanos();
            while (transport.outboundBacklog() > 0 && System.nanoTime() - until < 0 && !ended.get()) {
                LockSupport.parkNanos(100_000);
            }
        } catch (SendTimeoutException | RuntimeException e) {
            // the peer is not consuming or the session is already ending: close anyway
        }
        end(CloseCause.LOCAL_CLOSE, "closed by this side");
    }

    // =====================================================================================================
    // threads

    private void readLoop() {
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
                    peerGone();
                    return;
                }
                if (spinMode && pollingCallers.get() > 0) {
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
                    LockSupport.parkNanos(CALLER_POLL_PARK_NANOS);
                    continue;
                }
                if (spinMode && workers.get() > 0) {
                    // a thread of this process streams to the peer and needs the core more than an idle reader
                    // does: read what came (credit, a cancel) and step aside for a moment
                    pollOnce();
                    LockSupport.parkNanos(WORKER_PARK_NANOS);
                    continue;
                }
                if (pollOnce() > 0) {
                    if (idleSince != 0) {
                        lastGap = System.nanoTime() - idleSince;
                        idleSince = 0;
                    }
                    idlePolls = 0;
                    continue;
                }
                if (spinMode) {
                    if (eofSeen && !transport.hasInbound()) {
                        peerGone();
                        return;
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
                    while (!transport.hasInbound() && System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
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
                    return;
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
                    peerGone();
                    return;
                }
            }
        } catch (ClosedChannelException e) {
            if (running) {
                end(CloseCause.END_OF_STREAM, "the doorbell socket was closed");
            }
        } catch (IOException e) {
            if (running) {
                end(CloseCause.END_OF_STREAM, "the doorbell socket failed: " + e);
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "session " + id + " reader failed", e);
                end(CloseCause.INTERNAL_ERROR, "the reader failed: " + e);
            }
        }
    }

    private int pollOnce() {
        pollRole.lock();
        try {
            return running ? transport.poll(handler, POLL_BATCH) : 0;
        } finally {
            pollRole.unlock();
        }
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
        if (!running || timeoutNanos <= 0) {
            return done.getAsBoolean();
        }
        boolean spinMode = config.wakeMode() == WakeMode.SPIN;
        long until = System.nanoTime() + timeoutNanos;
        if (spinMode) {
            pollingCallers.incrementAndGet();
        }
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
                            if (transport.poll(handler, POLL_BATCH) == 0) {
                                Thread.onSpinWait();
                            }
                        }
                        if (borrowed) {
                            giveBackSleep();
                        }
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "session " + id + ": delivering a frame failed", e);
                        end(CloseCause.INTERNAL_ERROR, "delivering a frame failed: " + e);
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
            if (spinMode) {
                // no unpark: the reader wakes from its short park by itself, off this caller's path
                pollingCallers.decrementAndGet();
            }
        }
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

    private void peerGone() {
        if (peerGoingAway) {
            end(CloseCause.PEER_GOAWAY, "the peer sent GoAway and closed");
        } else {
            end(CloseCause.END_OF_STREAM, "the doorbell socket reached end-of-stream: the peer process is gone");
        }
    }

    private void livenessLoop() {
        long interval = config.heartbeatInterval().toNanos();
        Liveness live = new Liveness(config.peerTimeout().toNanos());
        try {
            while (running && beatOnce(live)) {
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
            end(CloseCause.HEARTBEAT_TIMEOUT, "the peer's last_seen did not change for "
                    + TimeUnit.NANOSECONDS.toMillis(live.unchangedFor(now)) + " ms (timeout "
                    + config.peerTimeout().toMillis() + " ms, last epoch " + live.lastEpoch() + ")");
            return false;
        }
        String violation = transport.protocolViolation();
        if (violation != null) {
            end(CloseCause.PROTOCOL_VIOLATION, violation);
            return false;
        }
        return true;
    }

    // =====================================================================================================
    // frames

    /**
     * Frames may name channel 0, a channel of the peer's parity, or one this side opened: still open, or closed since
     * (a late credit grant or cancel for a call that just ended is the RPC layer's to ignore, not an invalid frame).
     * A channel of this side's parity that it never opened is invalid.
     */
    private boolean mayUse(int channelId) {
        return channelId == 0 || isPeerChannel(channelId) || opened(channelId);
    }

    /** A channel of this side's parity that this side has opened (still open or closed since). */
    private boolean opened(int channelId) {
        return (channelId & 1) == (role == PeerRole.PEER_A ? 1 : 0)
                && Integer.toUnsignedLong(channelId) < nextChannel.get();
    }

    /** Channels the peer opens have the peer's parity: even when it is PeerB, odd when it is PeerA. */
    private boolean isPeerChannel(int channelId) {
        return (channelId & 1) == (role == PeerRole.PEER_A ? 0 : 1);
    }

    private void sendControl(int verb, PayloadEncoder body, Duration timeout) throws SendTimeoutException {
        transport.send(0, verb, FrameFlags.CONTROL, 0, body, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Without waiting: the reader thread must never block on a full ring (the peer may be blocked on ours). */
    private void trySendControl(int channelId, int verb, int flags, PayloadEncoder body) {
        try {
            transport.send(channelId, verb, flags, 0, body, 0, TimeUnit.NANOSECONDS);
        } catch (SendTimeoutException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "session " + id + ": could not send verb " + verb + ": " + e);
        }
    }

    private final class Handler implements FrameHandler {
        @Override
        public void onFrame(Frame frame) {
            if (!peerHello.isDone()) {
                handshake(frame);
            } else if (frame.channelId() == 0) {
                control(frame);
            } else {
                listener.onFrame(Session.this, frame);
            }
        }

        @Override
        public void onDropped(int channelId, long msgId, InvalidFrameKind kind) {
            int code = kind == InvalidFrameKind.STALE_GENERATION ? STALE_GENERATION
                    : kind == InvalidFrameKind.MESSAGE_TOO_LARGE ? RESOURCE_EXHAUSTED : VALIDATION_FAILED;
            if (channelId != 0 && (isPeerChannel(channelId) || opened(channelId))) {
                String message = "frame " + Long.toUnsignedString(msgId) + " dropped: " + kind;
                trySendControl(channelId, 0, FrameFlags.ERROR, w -> {
                    w.writeU32(code);
                    w.writeString(message);
                });
            }
            try {
                listener.onDropped(Session.this, channelId, kind, code);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "session listener failed", e);
            }
        }

        @Override
        public void onProtocolViolation(String message) {
            end(CloseCause.PROTOCOL_VIOLATION, message);
        }
    }

    private void handshake(Frame frame) {
        if (frame.channelId() != 0 || frame.methodId() != ControlVerb.HELLO) {
            end(CloseCause.PROTOCOL_VIOLATION, "the peer's first frame was not a Hello: " + frame);
            return;
        }
        Hello hello;
        try {
            hello = Hello.decode(PostcardReader.of(frame.payload()));
        } catch (DecodeException e) {
            end(CloseCause.PROTOCOL_VIOLATION, "the peer's Hello does not decode: " + e.getMessage());
            return;
        }
        String problem = null;
        if (hello.protocolMajor() != Hello.PROTOCOL_MAJOR) {
            problem = "the peer speaks protocol " + hello.protocolMajor() + "." + hello.protocolMinor()
                    + " but this side speaks " + Hello.PROTOCOL_MAJOR + "." + Hello.PROTOCOL_MINOR;
        } else if (hello.role() != role.other()) {
            problem = "the peer says it is " + hello.role() + " but this side is " + role + " too";
        }
        if (problem != null) {
            String reason = problem;
            // Not trySendControl: this side's own Hello may hold the send lock right now (start() sends it while
            // this reader already runs), and a GoAway lost to that race leaves the peer without the reason. The
            // rings are nearly empty during the handshake, so the bounded wait is for the lock only.
            try {
                sendControl(ControlVerb.GO_AWAY, new GoAway(FAILED_PRECONDITION, reason)::encode,
                        Duration.ofMillis(100));
            } catch (SendTimeoutException | IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "session " + id + ": could not send the refusing GoAway: " + e);
            }
            end(CloseCause.PROTOCOL_VIOLATION, reason);
            return;
        }
        transport.peerMaxMessageSize(hello.maxMessageSize());
        peerHello.complete(hello);
    }

    private void control(Frame frame) {
        try {
            PostcardReader in = PostcardReader.of(frame.payload());
            switch (frame.methodId()) {
                case ControlVerb.PING: {
                    long nonce = in.readU64();
                    in.expectEnd();
                    trySendControl(0, ControlVerb.PONG, FrameFlags.CONTROL, w -> w.writeU64(nonce));
                    break;
                }
                case ControlVerb.PONG: {
                    long nonce = in.readU64();
                    in.expectEnd();
                    CompletableFuture<Long> pong = pings.get(nonce);
                    if (pong != null) {
                        pong.complete(nonce);
                    }
                    break;
                }
                case ControlVerb.GO_AWAY: {
                    GoAway goAway = GoAway.decode(in);
                    peerGoingAway = true;
                    if (!peerHello.isDone()) {
                        end(CloseCause.PEER_GOAWAY, "the peer went away (code " + goAway.code() + "): "
                                + goAway.reason());
                    }
                    listener.onGoAway(this, goAway);
                    break;
                }
                case ControlVerb.HELLO:
                    transport.countInvalid(InvalidFrameKind.CONTROL, "a second Hello from the peer");
                    break;
                default:
                    listener.onFrame(this, frame);
                    break;
            }
        } catch (DecodeException e) {
            transport.countInvalid(InvalidFrameKind.CONTROL, "channel-0 verb " + frame.methodId()
                    + " does not decode: " + e.getMessage());
        }
    }

    // =====================================================================================================
    // ending

    /** Ends the session once: stops sends and threads, closes the socket and the segment, tells the listener. */
    private void end(CloseCause why, String detail) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        cause = why;
        closeDetail = detail;
        running = false;
        transport.abortSends("session closed (" + why + "): " + detail);
        doorbell.close();
        LockSupport.unpark(liveness);
        Thread self = Thread.currentThread();
        joinQuietly(reader, self);
        joinQuietly(liveness, self);
        if (watcher != null) {
            joinQuietly(watcher, self);
        }
        segment.close();
        try {
            segment.unlink();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not unlink " + segment.path() + ": " + e);
        }
        SessionException failure = new SessionException("session ended (" + why + "): " + detail);
        peerHello.completeExceptionally(failure);
        for (CompletableFuture<Long> pong : pings.values()) {
            pong.completeExceptionally(failure);
        }
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
