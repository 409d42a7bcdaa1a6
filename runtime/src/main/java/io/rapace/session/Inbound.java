package io.rapace.session;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.config.CloseCause;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PeerRole;
import io.rapace.shm.SendTimeoutException;
import io.rapace.shm.ShmTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@link Session} does with each frame the reader (or a polling caller) takes from the inbound ring: the
 * peer's Hello first (checked here: protocol major version and role), then channel-0 verbs to {@link ChannelZero},
 * and every other frame to the {@link SessionListener} on the delivering thread. A frame the transport drops as
 * invalid (this class also says which channels a frame may name) is answered with an ERROR frame on its channel when
 * that channel is live.
 */
final class Inbound implements FrameHandler {
    /** Error codes this layer puts in ERROR frames (DESIGN section 6). */
    static final int RESOURCE_EXHAUSTED = 7;
    static final int FAILED_PRECONDITION = 8;
    static final int VALIDATION_FAILED = 102;
    static final int STALE_GENERATION = 103;
    static final int DATA_LOSS = 14;

    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final Session session;
    private final PeerRole role;
    /** The next channel id this side opens ({@link Session#openChannel}). */
    private final AtomicLong nextChannel;
    private final ShmTransport transport;
    private final SessionListener listener;
    private final CompletableFuture<Hello> peerHello;
    private final ChannelZero channelZero;

    Inbound(Session session, PeerRole role, AtomicLong nextChannel, ShmTransport transport, SessionListener listener,
            CompletableFuture<Hello> peerHello, ChannelZero channelZero) {
        this.session = session;
        this.role = role;
        this.nextChannel = nextChannel;
        this.transport = transport;
        this.listener = listener;
        this.peerHello = peerHello;
        this.channelZero = channelZero;
    }

    @Override
    public void onFrame(Frame frame) {
        if (!peerHello.isDone()) {
            handshake(frame);
        } else if (frame.channelId() == 0) {
            channelZero.onFrame(frame);
        } else {
            listener.onFrame(session, frame);
        }
    }

    @Override
    public void onDropped(int channelId, long msgId, InvalidFrameKind kind) {
        int code = kind == InvalidFrameKind.STALE_GENERATION ? STALE_GENERATION
                : kind == InvalidFrameKind.MESSAGE_TOO_LARGE ? RESOURCE_EXHAUSTED
                : kind == InvalidFrameKind.CHECKSUM ? DATA_LOSS : VALIDATION_FAILED;
        if (channelId != 0 && (isPeerChannel(channelId) || opened(channelId))) {
            String message = "frame " + Long.toUnsignedString(msgId) + " dropped: " + kind;
            channelZero.trySend(channelId, 0, FrameFlags.ERROR, w -> {
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
            // Not trySend: this side's own Hello may hold the send lock right now (SessionSetup.start sends it
            // while this reader already runs), and a GoAway lost to that race leaves the peer without the reason. The
            // rings are nearly empty during the handshake, so the bounded wait is for the lock only.
            try {
                channelZero.send(ControlVerb.GO_AWAY, new GoAway(FAILED_PRECONDITION, reason)::encode,
                        Duration.ofMillis(100));
            } catch (SendTimeoutException | IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "session " + session.id()
                        + ": could not send the refusing GoAway: " + e);
            }
            session.end(CloseCause.PROTOCOL_VIOLATION, reason);
            return;
        }
        transport.peerMaxMessageSize(hello.maxMessageSize());
        if (session.config().frameChecksums() && (hello.features() & Hello.FEATURE_FRAME_CHECKSUMS) != 0) {
            transport.sendChecksums(); // both offered them
        }
        peerHello.complete(hello);
    }

    /**
     * Frames may name channel 0, a channel of the peer's parity, or one this side opened: still open, or closed since
     * (a late credit grant or cancel for a call that just ended is the RPC layer's to ignore, not an invalid frame).
     * A channel of this side's parity that it never opened is invalid.
     */
    boolean mayUse(int channelId) {
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
}
