package io.rapace.rpc;

import java.lang.System.Logger.Level;

/**
 * What a handler that threw becomes, on every transport: the caller's {@link ErrorCode#INTERNAL} failure with the
 * text {@code "<method> failed: <exception>"} (an {@link RpcException} keeps its own code and message), and one
 * {@code WARNING} on the serving side through {@code System.Logger} ({@code io.rapace.rpc.HandlerFailures}) with the
 * method, the call and the stack trace.
 *
 * <p>A flood of failures is not a flood of stack traces: at most {@value #LOGS_PER_SECOND} are logged a second, and the
 * next one logged after a quiet spell says how many were left out.
 */
final class HandlerFailures {
    static final String LOGGER = "io.rapace.rpc.HandlerFailures";
    static final int LOGS_PER_SECOND = 10;

    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private static long windowStart = System.nanoTime();
    private static int loggedInWindow;
    private static long notLogged;

    private HandlerFailures() {
    }

    /**
     * The failure the caller of {@code method} sees when its handler threw {@code thrown}: an {@link RpcException}'s
     * own code and message, else {@code INTERNAL} with {@code "<method> failed: <exception>"}.
     */
    static Failure of(ServerMethod<?, ?> method, Throwable thrown) {
        if (thrown instanceof RpcException e) {
            return Failure.of(e);
        }
        return Failure.of(ErrorCode.INTERNAL, method.name() + " failed: " + thrown);
    }

    /**
     * Logs that the handler of {@code method} threw {@code thrown} and so failed the call: once per failure, by the
     * transport that ended the call with it. An {@link RpcException} is an answer the handler chose, not a fault, and
     * is not logged.
     *
     * @param call what the log line names the call by (its channel or endpoint)
     */
    static void log(ServerMethod<?, ?> method, Object call, Throwable thrown) {
        if (thrown instanceof RpcException || !LOG.isLoggable(Level.WARNING)) {
            return;
        }
        long skipped;
        synchronized (HandlerFailures.class) {
            long now = System.nanoTime();
            if (now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                loggedInWindow = 0;
            }
            if (loggedInWindow >= LOGS_PER_SECOND) {
                notLogged++;
                return;
            }
            loggedInWindow++;
            skipped = notLogged;
            notLogged = 0;
        }
        String suffix = skipped == 0 ? "" : " (" + skipped + " more handler failures were not logged)";
        LOG.log(Level.WARNING, "handler of " + method.name() + " (" + Integer.toUnsignedString(method.id()) + ") failed on "
                + call + "; the caller gets INTERNAL" + suffix, thrown);
    }
}
