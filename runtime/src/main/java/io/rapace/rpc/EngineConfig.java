package io.rapace.rpc;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a facade ({@link RpcSession}) tells its {@link CallEngine}: who this side is, the stream window, timeouts,
 * limits, and the threads to use. The facade owns the executor and the timer and shuts them down.
 *
 * @param selfId           this side's id, for the texts that name it ({@code ""}: "this side")
 * @param self             what {@link CallContext#peerChannel()} gives a handler: the facade that serves
 * @param streamWindow     bytes of one stream direction that may wait unread before the sender waits
 * @param sendTimeoutNanos how long a frame of a call waits for room, at most (the call's deadline may cut it)
 * @param drainTimeoutNanos how long {@link CallEngine#close()} lets calls in flight finish
 * @param callerSpinNanos  outside spin mode, how long a caller polls for its unary response before it sleeps
 * @param direct           unary handlers run on the delivering thread
 * @param readerServes     handlers may run on the thread that delivered their call once it handed the reading on
 *                         (leader/follower, {@link io.rapace.session.FrameTransport#serveOnDeliveringThread}): only
 *                         when the executor is the facade's own pool, never a user's (who chose where handlers run)
 * @param maxCallsInFlight calls in flight per direction
 * @param maxCallsPerSecond calls per second per direction (0: no limit)
 * @param interceptors     the facade's own server interceptors, which also hear of calls refused before any
 *                         dispatcher saw them (empty: none)
 * @param executor         where handlers (and a bidi call's request sender) run
 * @param timer            where deadlines fire
 * @param servedLabel      how the log line of a failed handler names where it ran; null: by its call (channel,
 *                         method), as {@link RpcSession} always has
 */
record EngineConfig(String selfId, CallChannel self, int streamWindow, long sendTimeoutNanos, long drainTimeoutNanos,
        long callerSpinNanos, boolean direct, boolean readerServes, int maxCallsInFlight, double maxCallsPerSecond,
        List<ServerInterceptor> interceptors,
        Executor executor, ScheduledExecutorService timer, String servedLabel) {
}
