package io.rapace.config;

/**
 * The default limits, declared once: {@link SessionConfig}, the RPC layer's {@code RpcSession.Builder} and
 * {@code Loopback.Builder}, and the plugin host's {@code PluginLimits} start from these numbers, and each can be
 * changed there ({@code docs/operations.md}, {@code docs/rpc.md}).
 */
public final class Limits {
    /** The largest message, in bytes, after reassembly: 16 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
    /** Bytes of one stream direction that may wait unread before the producer waits: 64 KiB. */
    public static final int DEFAULT_STREAM_WINDOW = 64 * 1024;
    /**
     * Calls in flight per direction: a peer cannot make this side start more handler threads than this (the default
     * executor grows with the calls), and nesting to depth {@value #MAX_NESTING_DEPTH} needs far fewer.
     */
    public static final int DEFAULT_MAX_CALLS_IN_FLIGHT = 1024;
    /** How deep calls may nest: a handler's call back to its caller is depth 2, and so on up to this. */
    public static final int MAX_NESTING_DEPTH = 16;

    private Limits() {
    }
}
