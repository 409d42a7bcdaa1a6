package io.rapace.session;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PayloadEncoder;
import io.rapace.shm.PeerRole;
import io.rapace.shm.SendTimeoutException;
import io.rapace.shm.ShmTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What one {@link Session} does with each frame the reader (or a polling caller) takes from the inbound ring: the
 * peer's Hello first (checked here: protocol major version and role), then channel-0 verbs (Ping, Pong, GoAway; the
 * introspection verbs go to the listener), and every other frame to the {@link SessionListener} on the delivering
 * thread. A frame the transport drops as invalid is answered with an ERROR frame on its channel when that channel is
 * live.
 */
final class Inbound implements FrameHandler {
    /** Error codes this layer puts in ERROR frames (DESIGN section 6). */
    static final int RESOURCE_EXHAUSTED = 7;
    static final int FAILED_PRECONDITION = 8;
    static final int VALIDATION_FAILED = 102;
    static final int STALE_GENERATION = 103;

    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final Session session;
    private final PeerRole role;
    private final ShmTransport transport;
    private final SessionListener listener;
    private final CompletableFuture<Hello> peerHello;
    private final Map<Long, CompletableFuture<Long>> pings;

    Inbound(Session session, PeerRole role, ShmTransport transport, SessionListener listener,
            CompletableFuture<Hello> peerHello, Map<Long, CompletableFuture<Long>> pings) {
        this.session = session;
        this.role = role;
        this.transport = transport;
        this.listener = listener;
        this.peerHello = peerHello;
        this.pings = pings;
    }

    @Override
    public void onFrame(Frame frame) {
        if (!peerHello.isDone()) {
            handshake(frame);
        } else if (frame.channelId() == 0) {
            control(frame);
        } else {
            listener.onFrame(session, frame);
        }
    }

    @Override
    public void onDropped(int channelId, long msgId, InvalidFrameKind kind) {
        int code = kind == InvalidFrameKind.STALE_GENERATION ? STALE_GENERATION
                : kind == InvalidFrameKind.MESSAGE_TOO_LARGE ? RESOURCE_EXHAUSTED : VALIDATION_FAILED;
        if (channelId != 0 && (session.isPeerChannel(channelId) || session.opened(channelId))) {
            String message = "frame " + Long.toUnsignedString(msgId) + " dropped: " + kind;
            trySendControl(channelId, 0, FrameFlags.ERROR, w -> {
                w.writeU32(code);
                w.writeString(message);
            });
        }
        try {
            listener.onDropped(session, channelId, kind, code);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "session listener failed", e);
        }
    }

    @Override
    public void onProtocolViolation(String message) {
        session.end(CloseCause.PROTOCOL_VIOLATION, message);
    }

    private void handshake(Frame frame) {
        if (frame.channelId() != 0 || frame.methodId() != ControlVerb.HELLO) {
            session.end(CloseCause.PROTOCOL_VIOLATION, "the peer's first frame was not a Hello: " + frame);
            return;
        }
        Hello hello;
        try {
            hello = Hello.decode(PostcardReader.of(frame.payload()));
        } catch (DecodeException e) {
            session.end(CloseCause.PROTOCOL_VIOLATION, "the peer's Hello does not decode: " + e.getMessage());
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
            // Not trySendControl: this side's own Hello may hold the send lock right now (SessionSetup.start sends it
            // while this reader already runs), and a GoAway lost to that race leaves the peer without the reason. The
            // rings are nearly empty during the handshake, so the bounded wait is for the lock only.
            try {
                session.sendControl(ControlVerb.GO_AWAY, new GoAway(FAILED_PRECONDITION, reason)::encode,
                        Duration.ofMillis(100));
            } catch (SendTimeoutException | IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "session " + session.id()
                        + ": could not send the refusing GoAway: " + e);
            }
            session.end(CloseCause.PROTOCOL_VIOLATION, reason);
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

    /** Without waiting: the reader thread must never block on a full ring (the peer may be blocked on ours). */
    private void trySendControl(int channelId, int verb, int flags, PayloadEncoder body) {
        try {
            transport.send(channelId, verb, flags, 0, body, 0, TimeUnit.NANOSECONDS);
        } catch (SendTimeoutException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "session " + session.id() + ": could not send verb " + verb + ": "
                    + e);
        }
    }
}
