/**
 * A session between two processes over one segment: the handshake on channel 0 ({@link io.rapace.session.Hello},
 * {@link io.rapace.session.GoAway}), the doorbell that wakes a sleeping consumer (Unix-domain socket connections
 * whose end-of-stream also reports the peer's death at once), liveness by heartbeat, back-pressure with a send timeout,
 * and a close that reclaims everything.
 *
 * <p>Owns the threads of a session (one reader, one liveness timer) and the order of its life: listen or connect,
 * handshake, run, close or death. May import {@code io.rapace.shm}, {@code io.rapace.config} (its settings, wake mode
 * and close cause, which users see), {@code io.rapace.codec} and the JDK; knows nothing of calls, dispatchers or
 * services ({@code io.rapace.rpc} builds on it).
 *
 * <p>Not exported from the {@code io.rapace.runtime} module: users reach a session through {@code RpcSession}, and
 * nothing public hands a {@code Session} out.
 */
package io.rapace.session;
