package io.rapace.session;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.config.CloseCause;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.SendTimeoutException;
import io.rapace.shm.ShmTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Channel 0 of one {@link Session}, its session verbs both ways: this side's Hello, Ping and GoAway out (GoAway at
 * most once), and the peer's in, after the handshake: a Ping answered with a Pong, a Pong completing a
 * {@link Session#ping}, a GoAway noted and passed to the listener, a second Hello counted as invalid, and any other
 * verb (introspection) passed to the listener as a frame.
 */
final class ChannelZero {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final Session session;
    private final ShmTransport transport;
    private final SessionListener listener;
    private final CompletableFuture<Hello> peerHello;
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    private final Map<Long, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
    private final AtomicLong nextPing = new AtomicLong();

    ChannelZero(Session session, ShmTransport transport, SessionListener listener, CompletableFuture<Hello> peerHello) {
        this.session = session;
        this.transport = transport;
        this.listener = listener;
        this.peerHello = peerHello;
    }

    void send(int verb, PayloadEncoder body, Duration timeout) throws SendTimeoutException {
        transport.send(0, verb, FrameFlags.CONTROL, 0, body, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Without waiting: the reader thread must never block on a full ring (the peer may be blocked on ours). */
    void trySend(int channelId, int verb, int flags, PayloadEncoder body) {
        try {
            transport.send(channelId, verb, flags, 0, body, 0, TimeUnit.NANOSECONDS);
        } catch (SendTimeoutException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "session " + session.id() + ": could not send verb " + verb + ": "
                    + e);
        }
    }

    /** Sends GoAway unless this side already did ({@link Session#goAway}, {@link Session#close}). */
    void goAwayOnce(String reason, Duration timeout) throws SendTimeoutException {
        if (goAwaySent.compareAndSet(false, true)) {
            send(ControlVerb.GO_AWAY, new GoAway(0, reason)::encode, timeout);
        }
    }

    /** The body of {@link Session#ping}. */
    long ping(Duration timeout) throws SendTimeoutException, TimeoutException, InterruptedException {
        long nonce = nextPing.incrementAndGet();
        CompletableFuture<Long> pong = new CompletableFuture<>();
        pings.put(nonce, pong);
        try {
            long start = System.nanoTime();
            send(ControlVerb.PING, w -> w.writeU64(nonce), timeout);
            pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return System.nanoTime() - start;
        } catch (ExecutionException e) {
            throw new IllegalStateException("session ended before the Pong: " + session.closeDetail(), e);
        } finally {
            pings.remove(nonce);
        }
    }

    /** Fails every Ping still waiting for its Pong ({@link Session#end}). */
    void failPings(SessionException failure) {
        for (CompletableFuture<Long> pong : pings.values()) {
            pong.completeExceptionally(failure);
        }
    }

    /** A verb the peer sent on channel 0 after the handshake. */
    void onFrame(Frame frame) {
        try {
            PostcardReader in = PostcardReader.of(frame.payload());
            switch (frame.methodId()) {
                case ControlVerb.PING: {
                    long nonce = in.readU64();
                    in.expectEnd();
                    trySend(0, ControlVerb.PONG, FrameFlags.CONTROL, w -> w.writeU64(nonce));
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
                    session.peerSentGoAway();
                    if (!peerHello.isDone()) {
                        session.end(CloseCause.PEER_GOAWAY, "the peer went away (code " + goAway.code() + "): "
                                + goAway.reason());
                    }
                    listener.onGoAway(session, goAway);
                    break;
                }
                case ControlVerb.HELLO:
                    transport.countInvalid(InvalidFrameKind.CONTROL, "a second Hello from the peer");
                    break;
                default:
                    listener.onFrame(session, frame);
                    break;
            }
        } catch (DecodeException e) {
            transport.countInvalid(InvalidFrameKind.CONTROL, "channel-0 verb " + frame.methodId()
                    + " does not decode: " + e.getMessage());
        }
    }
}
