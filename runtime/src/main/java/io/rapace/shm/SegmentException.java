package io.rapace.shm;

import java.io.IOException;

/** A segment could not be created or attached; the message names the file and, for a mismatch, both values. */
public final class SegmentException extends IOException {
    private static final long serialVersionUID = 1L;

    public SegmentException(String message) {
        super(message);
    }

    public SegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
