package io.rapace.plugin.stat;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One plugin's row of the stat file.
 *
 * @param pluginId the plugin's id, 1 to 64 bytes of UTF-8
 * @param state the plugin's state as a word ({@code Running}, {@code Crashed}, ...), at most 24 bytes of ASCII
 * @param pid the plugin's process id, -1 when it has none
 * @param calls calls finished
 * @param errors calls that ended with an error
 * @param bytesIn payload bytes the host received from the plugin
 * @param bytesOut payload bytes the host sent to the plugin
 * @param p50Nanos median call latency in nanoseconds
 * @param p99Nanos 99th percentile call latency in nanoseconds
 * @param restarts restarts of the plugin's process
 * @param cpuNanos CPU time of the plugin's process in nanoseconds, -1 if unknown
 * @param residentBytes resident memory of the plugin's process in bytes, -1 if unknown
 * @param updatedMillis when the host last wrote the row, in epoch milliseconds
 */
public record StatRow(String pluginId, String state, long pid, long calls, long errors, long bytesIn, long bytesOut,
        long p50Nanos, long p99Nanos, long restarts, long cpuNanos, long residentBytes, long updatedMillis) {

    /**
     * @throws IllegalArgumentException if the id or the state does not fit its field
     */
    public StatRow {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(state, "state");
        int idBytes = pluginId.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes == 0 || idBytes > StatFileLayout.ID_CAPACITY) {
            throw new IllegalArgumentException("plugin id \"" + pluginId + "\" is " + idBytes
                    + " bytes of UTF-8; the stat file holds 1 to " + StatFileLayout.ID_CAPACITY);
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(state)
                || state.length() > StatFileLayout.STATE_CAPACITY) {
            throw new IllegalArgumentException("state \"" + state + "\" must be at most "
                    + StatFileLayout.STATE_CAPACITY + " ASCII characters");
        }
    }
}
