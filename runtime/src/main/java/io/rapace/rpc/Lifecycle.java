package io.rapace.rpc;

/**
 * How a side answers the session verbs its peer uses to run its life (channel 0, DESIGN 6): 11 Initialize, with
 * the configuration bytes, and 12 Shutdown. A plugin host initialises and stops every plugin this way, whatever
 * services the plugin serves ({@code RpcSession.Builder#lifecycle}). Each hook runs on a thread of its own, never on
 * the thread that reads the ring; returning acknowledges the verb, throwing refuses it: an {@link RpcException}
 * with its code and message, anything else as {@link ErrorCode#INTERNAL} with the exception's text.
 *
 * <p>A side that installs no hooks acknowledges both verbs at once.
 */
public interface Lifecycle {
    /** Acknowledges both verbs and does nothing. */
    Lifecycle NONE = new Lifecycle() {
    };

    /** The peer initialises this side with {@code config} (possibly empty). */
    default void initialize(byte[] config) throws Exception {
    }

    /** The peer is about to close the session in order; the answer is the acknowledgement it waits for. */
    default void shutdown() throws Exception {
    }
}
