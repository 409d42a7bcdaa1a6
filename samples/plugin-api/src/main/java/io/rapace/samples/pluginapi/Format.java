package io.rapace.samples.pluginapi;

/** What a renderer writes. */
public enum Format {
    /** Plain text. */
    PLAIN_TEXT,
    /** HTML. */
    HTML
}
