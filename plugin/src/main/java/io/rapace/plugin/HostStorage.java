package io.rapace.plugin;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value store the host shares with all its plugins ({@code HostStorage.get/set}). It lives in the host, so it
 * outlives plugin restarts; values are copied in and out, so no plugin's bytes alias another's.
 */
public final class HostStorage {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    public Optional<byte[]> get(String key) {
        byte[] value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public void set(String key, byte[] value) {
        values.put(key, value.clone());
    }

    /** How many keys are stored. */
    public int size() {
        return values.size();
    }
}
