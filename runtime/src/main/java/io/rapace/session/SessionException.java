package io.rapace.session;

import java.io.IOException;

/** A session could not be set up (listen, connect, handshake); the message names both values of a mismatch. */
public final class SessionException extends IOException {
    private static final long serialVersionUID = 1L;

    public SessionException(String message) {
        super(message);
    }

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
