package io.rapace.samples.pluginapi;

import java.util.ArrayList;
import java.util.List;

/** Breaks text into lines of at most a given width, at spaces (a word longer than the width gets a line of its own). */
final class Layout {
    private Layout() {
    }

    static List<Line> lines(String text, int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        List<Line> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words(text)) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(new Line(lines.size() + 1, line.toString()));
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(new Line(lines.size() + 1, line.toString()));
        }
        return lines;
    }

    static List<String> words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** The configured style, from the plugin's configuration bytes ({@code style=<name>}; empty: none). */
    static String style(byte[] config, String plugin) {
        String text = new String(config, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        if (!text.startsWith("style=") || text.length() == "style=".length()) {
            throw new io.rapace.rpc.RpcException(io.rapace.rpc.ErrorCode.INVALID_ARGUMENT, plugin
                    + " takes a configuration of the form style=<name>, not \"" + text + "\"");
        }
        return text.substring("style=".length());
    }
}
