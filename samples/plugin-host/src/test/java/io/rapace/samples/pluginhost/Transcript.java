package io.rapace.samples.pluginhost;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo's standard output, read back: its state changes, the pids it printed, lines in order. */
final class Transcript {
    /** {@code [Host] transform: Running -> Crashed (pid 1234, exited): process exited with status 42}. */
    private static final Pattern TRANSITION = Pattern.compile(
            "\\[Host] ([\\w.-]+): (?:(\\w+) -> )?(\\w+) \\(pid (\\d+)(, exited)?\\)(?:: .*)?");
    private static final Pattern HOST_PID = Pattern.compile("\\[Host] Plugin host started \\(pid (\\d+)\\).*");

    /** One state change as the demo's listener printed it. */
    record Transition(String pluginId, String from, String to, long pid, boolean exited) {
    }

    private final String text;
    private final List<String> lines;

    Transcript(String text) {
        this.text = text;
        this.lines = text.lines().toList();
    }

    List<String> lines() {
        return lines;
    }

    List<Transition> transitions(String pluginId) {
        List<Transition> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = TRANSITION.matcher(line);
            if (m.matches() && m.group(1).equals(pluginId)) {
                found.add(new Transition(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                        m.group(5) != null));
            }
        }
        return found;
    }

    List<String> states(String pluginId) {
        return transitions(pluginId).stream().map(Transition::to).toList();
    }

    long hostPid() {
        return Long.parseLong(group(HOST_PID, 1));
    }

    /** The host's pid and every plugin pid the transcript names. */
    Set<Long> pids() {
        Set<Long> pids = new LinkedHashSet<>();
        pids.add(hostPid());
        for (String id : List.of("analytics", "transform")) {
            transitions(id).forEach(t -> pids.add(t.pid()));
        }
        return pids;
    }

    /** Group {@code group} of the one line that matches {@code pattern} in full. */
    String group(Pattern pattern, int group) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return m.group(group);
            }
        }
        return fail("no line matches " + pattern + " in\n" + text);
    }

    /** Each of {@code expected} is a whole line of the transcript, each after the one before. */
    void assertLinesInOrder(String... expected) {
        int at = 0;
        for (String line : expected) {
            int found = lines.subList(at, lines.size()).indexOf(line);
            assertTrue(found >= 0, "missing \"" + line + "\" after line " + at + " of\n" + text);
            at += found + 1;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
