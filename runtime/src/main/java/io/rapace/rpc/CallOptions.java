package io.rapace.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller adds to a call besides the request: a deadline, given as the budget the call has from the moment it
 * starts (it travels as the remaining budget, never as a clock reading), and metadata. Immutable; each
 * {@code with...} returns a new instance. A generated client carries one ({@code new FooClient(channel, options)},
 * {@code client.withOptions(options)}).
 */
public final class CallOptions {
    /** No deadline, no metadata. */
    public static final CallOptions DEFAULT = new CallOptions(null, List.of(), null);

    private final Duration timeout;
    private final List<MetadataEntry> metadata;
    /** Where the transport counts the call, for the interceptors above it; null when none asked. */
    private final CallStats stats;

    private CallOptions(Duration timeout, List<MetadataEntry> metadata, CallStats stats) {
        this.timeout = timeout;
        this.metadata = metadata;
        this.stats = stats;
    }

    /**
     * These options with a deadline {@code timeout} after the call starts. A zero or negative timeout fails the
     * call with {@link ErrorCode#DEADLINE_EXCEEDED} before anything is sent.
     */
    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(Objects.requireNonNull(timeout, "timeout"), metadata, stats);
    }

    /** These options with one more metadata entry; the bytes are copied. */
    public CallOptions withMetadata(String key, byte[] value) {
        List<MetadataEntry> more = new ArrayList<>(metadata);
        more.add(new MetadataEntry(key, value));
        return new CallOptions(timeout, List.copyOf(more), stats);
    }

    /** The budget the call gets when it starts, if it has a deadline. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The metadata entries, in the order they were added. */
    public List<MetadataEntry> metadata() {
        return metadata;
    }

    /** These options with {@code stats} as where the transport counts the call (set by {@link ClientCall}). */
    CallOptions withStats(CallStats stats) {
        return new CallOptions(timeout, metadata, stats);
    }

    /** Where the transport counts the call, or null when no interceptor asked. */
    CallStats statsOrNull() {
        return stats;
    }

    /** Where the transport counts the call: the interceptors' figures, or new ones when no interceptor asked. */
    CallStats statsOrNew() {
        return stats == null ? new CallStats(null) : stats;
    }

    @Override
    public String toString() {
        return "CallOptions[timeout=" + (timeout == null ? "none" : timeout) + ", metadata=" + metadata + "]";
    }
}
