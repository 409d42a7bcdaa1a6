package io.rapace.rpc;

/**
 * The sending end of a stream: what a {@link RpcStream#generate producer} writes to, whether it produces a handler's
 * responses or a caller's requests.
 *
 * <p>{@link #send} waits while the receiver has no credit left (it has not read what was already sent), so a fast
 * producer never runs ahead of a slow consumer by more than the stream's window; a stalled stream holds up only its
 * own producer, never another call.
 *
 * @param <T> the element type
 */
public interface StreamSender<T> {

    /**
     * Sends one element, waiting for credit.
     *
     * @throws RpcException          if the call failed or was cancelled, or the receiver stopped reading; the code
     *                               says why ({@link ErrorCode#RESOURCE_EXHAUSTED} for an element over the maximum
     *                               message size, which also fails the call)
     * @throws IllegalStateException after {@link #complete()}
     * @throws NullPointerException  for a null element (streams carry no nulls)
     */
    void send(T value);

    /** Half-closes the stream: the receiver sees its end after the elements already sent. Idempotent. */
    void complete();

    /** Aborts the call this stream belongs to: both sides see {@link ErrorCode#CANCELLED}. */
    void cancel();
}
