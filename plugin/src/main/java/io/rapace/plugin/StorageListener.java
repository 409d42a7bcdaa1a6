package io.rapace.plugin;

import java.util.Optional;

/**
 * Hears every {@code HostStorage} call a plugin makes, after the store has answered it, on the thread that served the
 * call (keep it short; never block). For audit logs and demos; the store itself is {@link PluginHost#storage()}.
 * Both methods do nothing unless overridden. The values are the listener's own copies.
 */
public interface StorageListener {

    /** Plugin {@code pluginId} read {@code key} and got {@code value} (empty when the key is not set). */
    default void read(String pluginId, String key, Optional<byte[]> value) {
    }

    /** Plugin {@code pluginId} stored {@code value} under {@code key}. */
    default void written(String pluginId, String key, byte[] value) {
    }
}
