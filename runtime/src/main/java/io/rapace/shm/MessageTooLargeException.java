package io.rapace.shm;

/**
 * A message larger than this side's maximum message size, or than the peer's (from its Hello), refused before it
 * was sent. The message names both sizes; {@link #size()}, {@link #limit()} and {@link #peersLimit()} give them to a
 * caller that words its own error (the call engine does).
 */
public final class MessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;
    private final boolean peersLimit;

    /**
     * @param size       the encoded payload's length in bytes
     * @param limit      the maximum it exceeds
     * @param peersLimit whether {@code limit} is the peer's maximum (from its Hello) rather than this side's
     */
    public MessageTooLargeException(int size, int limit, boolean peersLimit) {
        super("message of " + size + " bytes exceeds the " + (peersLimit ? "peer's " : "") + "maximum message size of "
                + limit + " bytes" + (peersLimit ? " (from its Hello)" : ""));
        this.size = size;
        this.limit = limit;
        this.peersLimit = peersLimit;
    }

    /** The encoded payload's length in bytes. */
    public int size() {
        return size;
    }

    /** The maximum message size the payload exceeds. */
    public int limit() {
        return limit;
    }

    /** Whether {@link #limit()} is the peer's maximum, from its Hello, rather than this side's. */
    public boolean peersLimit() {
        return peersLimit;
    }
}
