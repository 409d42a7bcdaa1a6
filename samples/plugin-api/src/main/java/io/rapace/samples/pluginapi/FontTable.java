package io.rapace.samples.pluginapi;

import io.rapace.rpc.CallContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The host's implementation of its {@link Fonts} service; it remembers which plugin asked for which family. */
public final class FontTable implements Fonts {
    private static final FontMetrics DEFAULT = new FontMetrics("serif", 10, 14);
    private static final Map<String, FontMetrics> FAMILIES = Map.of(
            "serif", DEFAULT,
            "mono", new FontMetrics("mono", 12, 16),
            "condensed", new FontMetrics("condensed", 6, 12));

    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public FontMetrics metrics(String family) {
        asked.add(CallContext.current().peerId() + " asked for " + family);
        return FAMILIES.getOrDefault(family, DEFAULT);
    }

    /** Each question so far, as {@code "<plugin id> asked for <family>"}. */
    public List<String> asked() {
        return List.copyOf(asked);
    }
}
