package io.rapace.samples.pluginapi;

import io.rapace.annotation.Unsigned;

/** How wide a character and how tall a line of a font family are, in points. */
public record FontMetrics(String family, @Unsigned int charWidth, @Unsigned int lineHeight) {
}
