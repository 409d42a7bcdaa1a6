package io.rapace.plugin;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PluginHost.PluginHandle#replace} replaces a running plugin.
 *
 * @param drainTimeout       how long the old version may take to finish its calls in flight once new calls go to the
 *                           new one; what is still open then ends with {@code UNAVAILABLE} "replaced"
 * @param allowSchemaChanges replace even when the new version's schemas differ from the running version's
 */
public record ReplaceOptions(Duration drainTimeout, boolean allowSchemaChanges) {
    /** A drain of 5 seconds; a new version whose schemas differ is refused. */
    public static final ReplaceOptions DEFAULT = new ReplaceOptions(Duration.ofSeconds(5), false);

    public ReplaceOptions {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
        }
    }

    /** These options with another drain timeout. */
    public ReplaceOptions withDrainTimeout(Duration timeout) {
        return new ReplaceOptions(timeout, allowSchemaChanges);
    }

    /** These options, replacing even when the new version's schemas differ. */
    public ReplaceOptions allowingSchemaChanges() {
        return new ReplaceOptions(drainTimeout, true);
    }
}
