package io.rapace.samples.pluginapi;

import java.util.Optional;

/** Who a renderer is: its name, the format it writes, and the style it was initialised with, if any. */
public record RendererInfo(String name, Format format, Optional<String> style) {
}
