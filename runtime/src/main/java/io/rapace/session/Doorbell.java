package io.rapace.session;

import java.io.IOException;

/**
 * The out-of-band wake-up and death channel of one session: the producer writes a byte when it flipped the
 * consumer's {@code consumer_sleeping} from 1 to 0; the consumer blocks reading. End-of-stream means the peer is
 * gone.
 */
interface Doorbell extends AutoCloseable {

    /** Writes one wake-up byte; a failure (the peer is gone) is ignored, since end-of-stream reports it. */
    void ring();

    /** Blocks until at least one byte (returns how many were drained) or end-of-stream (returns -1). */
    int await() throws IOException;

    /** Closes the channel; a thread blocked in {@link #await} returns or throws. Idempotent. */
    @Override
    void close();
}
