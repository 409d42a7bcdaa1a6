package io.rapace.rpc;

import io.rapace.config.CloseCause;
import io.rapace.session.FrameListener;
import io.rapace.session.FrameTransport;
import io.rapace.session.GoAway;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.InvalidFrameKind;
import io.rapace.shm.PeerRole;
import io.rapace.shm.SendTimeoutException;
import java.util.List;

/**
 * One end's calls over one {@link FrameTransport}: the calls in flight each way, routing the peer's frames to them,
 * GoAway and drain, and ending every call when the transport ends. The work is split by concern into parts built
 * once with the engine: {@link CallerSide} (calling out), {@link ServerSide} (serving in), {@link CallStreams}
 * (streams and credit), {@link CallFrames} (sending and failing), {@link CallLimits} and {@link ControlVerbs}.
 * Facades ({@link RpcSession}) own the threads and hand the engine its transport.
 *
 * <p>A call is a channel: this side opens channels of its parity, and a frame on a channel of the peer's parity
 * belongs to a call the peer made. Frames arrive on a delivering thread (the transport's reader, or a caller polling
 * for its answer), which never waits for a call.
 */
final class CallEngine implements FrameListener {
    final EngineConfig config;
    final CallLimits limits;
    final CallFrames frames;
    final CallStreams streams;
    final CallerSide caller;
    final ServerSide server;
    final ControlVerbs verbs;
    final CallTable<EngineCall> outbound = new CallTable<>();
    final CallTable<EngineCall> inbound = new CallTable<>();
    private volatile FrameTransport transport;
    private volatile boolean closing;
    private volatile String peerGoAway;

    CallEngine(EngineConfig config, MethodTable served) {
        this.config = config;
        this.limits = new CallLimits(config.maxCallsInFlight(), config.maxCallsPerSecond());
        this.frames = new CallFrames(this);
        this.streams = new CallStreams(this);
        this.caller = new CallerSide(this);
        this.server = new ServerSide(this, served);
        this.verbs = new ControlVerbs(this);
    }

    /** Binds the transport, once: by the facade after connecting, or by the first frame, whichever comes first. */
    void bind(FrameTransport t) {
        if (transport == null) {
            transport = t;
        }
    }

    FrameTransport transportOrNull() {
        return transport;
    }

    FrameTransport transport() {
        FrameTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("the session is not connected yet");
        }
        return t;
    }

    boolean closing() {
        return closing;
    }

    /** The peer's GoAway reason, or null while it has sent none. */
    String peerGoAway() {
        return peerGoAway;
    }

    /** Calls in flight right now, opened by this side and by the peer. */
    int callsInFlight() {
        return outbound.size() + inbound.size();
    }

    /** Serves the methods of {@code dispatcher} from now on, and its registry entry for introspection. */
    void serve(ServiceDispatcher dispatcher) {
        List<ServerInterceptor> interceptors = config.interceptors();
        server.served.register(interceptors.isEmpty() ? dispatcher
                : ServerInterceptors.interceptForward(dispatcher, interceptors));
        verbs.discover(dispatcher);
    }

    /**
     * Ends in order: GoAway (the peer opens no new call, and this side refuses new ones), then waits up to the drain
     * timeout for the calls in flight, then closes the transport. What still runs then fails. Idempotent.
     */
    void close() {
        close(config.drainTimeoutNanos());
    }

    /** {@link #close()} with a drain budget of its own. */
    void close(long drainNanos) {
        FrameTransport t = transport;
        if (!closing) {
            closing = true;
            try {
                t.goAway("closing");
            } catch (SendTimeoutException | IllegalStateException e) {
                // the peer does not read, or the transport already ended: close without draining
            }
            long until = System.nanoTime() + drainNanos;
            while (t.isOpen() && callsInFlight() > 0 && System.nanoTime() - until < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        t.close();
    }

    /**
     * Ends at once: no GoAway of the engine's own and no drain (the transport's close still says GoAway, briefly);
     * what is in flight fails. For a peer that is given up on.
     */
    void closeNow() {
        closing = true;
        transport.close();
    }

    // =====================================================================================================
    // frames from the peer (delivering thread)

    @Override
    public void onFrame(Frame frame) {
        int[] delivering = CallFrames.DELIVERING.get();
        delivering[0]++;
        try {
            route(frame);
        } finally {
            delivering[0]--;
        }
    }

    private void route(Frame frame) {
        int channel = frame.channelId();
        if (channel == 0) {
            verbs.onVerb(frame);
            return;
        }
        boolean peerOpened = (channel & 1) == (transport.role() == PeerRole.PEER_A ? 0 : 1);
        if (peerOpened) {
            EngineCall call = inbound.get(channel);
            if (call == null) {
                if (frame.hasFlag(FrameFlags.CALL_HEADER)) {
                    server.accept(frame);
                }
                // else: a late frame of a call that ended here; nothing waits for it
                return;
            }
            if (frame.hasFlag(FrameFlags.CALL_HEADER)) {
                frames.failInbound(call, Failure.of(ErrorCode.VALIDATION_FAILED, "channel " + Integer
                        .toUnsignedString(channel) + " was opened again while its call was in flight"));
                return;
            }
            server.fromCaller(call, frame);
        } else {
            EngineCall call = outbound.get(channel);
            if (call != null) {
                caller.fromHandler(call, frame);
            }
        }
    }

    @Override
    public void onDropped(int channelId, InvalidFrameKind kind, int errorCode) {
        if (channelId == 0) {
            return;
        }
        EngineCall call = outbound.get(channelId);
        if (call == null) {
            call = inbound.get(channelId);
        }
        if (call != null) {
            // the transport already told the peer with an ERROR frame of the same code
            call.end(new Failure(errorCode, "a frame of this call from the peer was dropped: " + kind), false);
        }
    }

    @Override
    public void onGoAway(GoAway goAway) {
        peerGoAway = goAway.reason().isEmpty() ? "code " + goAway.code() : goAway.reason();
    }

    @Override
    public void onClosed(CloseCause cause, String detail) {
        Failure failure = cause.isPeerDeath()
                ? Failure.of(ErrorCode.PEER_DIED, "the peer died: " + detail)
                : Failure.of(ErrorCode.SESSION_CLOSED, "the session ended (" + cause + "): " + detail);
        for (EngineCall call : outbound.snapshot()) {
            call.end(failure, false);
        }
        for (EngineCall call : inbound.snapshot()) {
            call.end(failure, false);
        }
        verbs.failWaiting(failure);
    }

    // =====================================================================================================
    // the calls' bookkeeping

    /**
     * An inbound call about to send its last frame leaves the counts and the limits now: the caller may open its next
     * call as soon as that frame arrives, before this side's handler thread has finished.
     */
    void retire(EngineCall call) {
        if (inbound.remove(call.channel, call)) {
            limits.inbound.release();
        }
    }

    /** Called once per call by {@link EngineCall#end}. */
    void ended(EngineCall call) {
        CallTable<EngineCall> calls = call.outbound ? outbound : inbound;
        if (calls.remove(call.channel, call)) {
            (call.outbound ? limits.outbound : limits.inbound).release();
        }
    }

    /** Why calls fail once the transport ended: PEER_DIED when the peer died, else SESSION_CLOSED. */
    Failure sessionEnded() {
        FrameTransport t = transport;
        CloseCause cause = t == null ? null : t.closeCause();
        if (cause != null && cause.isPeerDeath()) {
            return Failure.of(ErrorCode.PEER_DIED, "the peer died: " + t.closeDetail());
        }
        return Failure.of(ErrorCode.SESSION_CLOSED, "the session ended" + (cause == null ? ""
                : " (" + cause + "): " + t.closeDetail()));
    }

    /** Ends every call in flight, either direction, with {@code failure}, telling the peer of each. */
    void failAll(Failure failure) {
        for (EngineCall call : outbound.snapshot()) {
            frames.fail(call, failure);
        }
        for (EngineCall call : inbound.snapshot()) {
            frames.fail(call, failure);
        }
    }

    /** Stream senders of this end waiting for credit right now. */
    int blockedSenders() {
        int n = 0;
        for (EngineCall call : outbound.snapshot()) {
            n += call.credit == null ? 0 : call.credit.waiting();
        }
        for (EngineCall call : inbound.snapshot()) {
            n += call.credit == null ? 0 : call.credit.waiting();
        }
        return n;
    }
}
