package io.rapace.shm;

import java.util.concurrent.TimeoutException;

/** A send waited its whole timeout for ring space or a free slot; the message says which and how full. */
public final class SendTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public SendTimeoutException(String message) {
        super(message);
    }
}
