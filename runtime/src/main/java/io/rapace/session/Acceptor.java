package io.rapace.session;

import io.rapace.config.SessionConfig;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What stands behind a {@link Session.Listening}: its segment, listening socket and socket path; the accept that waits
 * for the plugin's two connections and then starts the session; and the close that may come from any thread
 * meanwhile, both ordered by one small state machine under this object's monitor. Until its files are gone, a
 * shutdown hook would delete them.
 */
final class Acceptor {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    /** Acceptors whose files exist, for the shutdown hook. */
    private static final Set<Acceptor> PENDING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK = new AtomicBoolean();
    /**
     * Whether jdk.net, which tells a socket's peer, is in the boot layer: on the class path it is, unless the runtime
     * image lacks it; in a named application it is when some module requires it (the runtime requires it statically).
     */
    private static final boolean PEER_CREDENTIALS = ModuleLayer.boot().findModule("jdk.net").isPresent();

    private final SessionConfig config;
    private final Segment segment;
    private final ServerSocketChannel server;
    private final Path socketPath;
    /** The user this process runs as: the only one whose processes may connect ({@link #admitted}). */
    private final UserPrincipal owner;
    /** Guarded by this. */
    private State state = State.OPEN;
    /** Guarded by this: the selector {@link #accept} waits on, so {@link #close} can wake it. */
    private Selector selector;

    private enum State { OPEN, ACCEPTING, ACCEPTED, CLOSED }

    Acceptor(SessionConfig config, Segment segment, ServerSocketChannel server, Path socketPath,
            UserPrincipal owner) {
        this.config = config;
        this.segment = segment;
        this.server = server;
        this.socketPath = socketPath;
        this.owner = owner;
        PENDING.add(this);
        if (HOOK.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Acceptor::unlinkPending,
                        "rapace-unlink-pending-segments"));
            } catch (IllegalStateException e) {
                // the JVM is already exiting: nothing can be registered, the close paths still unlink
            }
        }
    }

    private static void unlinkPending() {
        for (Acceptor acceptor : PENDING) {
            acceptor.unlinkNames();
        }
    }

    Path segmentPath() {
        return segment.path();
    }

    Path socketPath() {
        return socketPath;
    }

    String backend() {
        return segment.backend();
    }

    /** The body of {@link Session.Listening#accept}. */
    Session accept(SessionListener listener, Duration timeout) throws IOException {
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
                    channels[i] = admitted(server.accept());
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
            SessionSetup.closeQuietly(channels[0]);
            SessionSetup.closeQuietly(channels[1]);
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
        return SessionSetup.start(PeerRole.PEER_A, config, segment, new SocketDoorbell(channels[1], channels[0]),
                listener);
    }

    /**
     * The accepted connection if its peer runs as this process's user; otherwise it is closed and logged, and the
     * accept goes on waiting. The socket's mode (0600) and unguessable name keep other users out already; this check
     * also holds when the mode was widened or the connecting process is privileged.
     */
    private SocketChannel admitted(SocketChannel channel) {
        if (channel == null) {
            return null;
        }
        if (!PEER_CREDENTIALS) {
            PeerCredentials.unsupported("this runtime image has no jdk.net module");
            return channel;
        }
        String refusal = PeerCredentials.refusal(channel, owner, socketPath);
        if (refusal == null) {
            return channel;
        }
        LOG.log(System.Logger.Level.WARNING, refusal);
        SessionSetup.closeQuietly(channel);
        return null;
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

    /** The body of {@link Session.Listening#close}. */
    void close() throws IOException {
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
