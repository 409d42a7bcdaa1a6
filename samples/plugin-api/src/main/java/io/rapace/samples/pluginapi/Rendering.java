package io.rapace.samples.pluginapi;

import io.rapace.annotation.Unsigned;

/** A rendered page: its format, the rendered text, and how many lines it took. */
public record Rendering(Format format, String body, @Unsigned int lines) {
}
