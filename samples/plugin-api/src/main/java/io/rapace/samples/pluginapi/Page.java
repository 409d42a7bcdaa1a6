package io.rapace.samples.pluginapi;

/** One page of a document. */
public record Page(String title, String text, String font) {
}
