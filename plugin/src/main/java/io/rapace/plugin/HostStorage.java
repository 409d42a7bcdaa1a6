package io.rapace.plugin;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value store the host shares with all its plugins ({@code HostStorage.get/set}). It lives in the host, so it
 * outlives plugin restarts; values are copied in and out, so no plugin's bytes alias another's.
 */
public final class HostStorage {
    /** The default bound on what the plugins may store, keys and values together: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final long maxBytes;
    private long bytes;

    /** A store of at most {@link #DEFAULT_MAX_BYTES}. */
    public HostStorage() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A store of at most {@code maxBytes} of keys (UTF-16 chars counted as 2 bytes) and values together. */
    public HostStorage(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("storage limit must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public Optional<byte[]> get(String key) {
        byte[] value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /**
     * Stores {@code value} under {@code key}.
     *
     * @throws io.rapace.rpc.RpcException {@code RESOURCE_EXHAUSTED} when the store would exceed its limit (a
     *                                    plugin cannot fill the host's memory); nothing is changed then
     */
    public void set(String key, byte[] value) {
        byte[] copy = value.clone();
        synchronized (this) {
            byte[] old = values.get(key);
            long after = bytes - (old == null ? 0 : size(key, old)) + size(key, copy);
            if (after > maxBytes) {
                throw new io.rapace.rpc.RpcException(io.rapace.rpc.ErrorCode.RESOURCE_EXHAUSTED, "host storage is full: "
                        + "storing " + copy.length + " bytes under \"" + key + "\" would make " + after
                        + " bytes, over the limit of " + maxBytes);
            }
            values.put(key, copy);
            bytes = after;
        }
    }

    private static long size(String key, byte[] value) {
        return 2L * key.length() + value.length;
    }

    /** Bytes stored, keys and values together. */
    public synchronized long bytes() {
        return bytes;
    }

    /** How many keys are stored. */
    public int size() {
        return values.size();
    }
}
