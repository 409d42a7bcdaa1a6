package io.rapace.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A plugin that is a shell script and never connects: it writes its pid and the segment and socket paths the host
 * gave it to a record file (atomically, by rename), then runs {@code then}: {@code exit 1}, {@code exit 0}, or
 * {@code exec sleep 600} to wait without connecting. Lets a test find, by name, the files a launch created.
 */
final class RecordingPlugin {
    private RecordingPlugin() {
    }

    /** What the script recorded. */
    record Record(long pid, Path segment, Path socket) {
        List<Path> files() {
            return List.of(segment, socket);
        }
    }

    static PluginSpec spec(String id, Path record, String then) {
        // the host appends: $1 --rapace-segment, $2 its path, $3 --rapace-socket, $4 its path, ...
        String script = "printf '%s\\n' \"$$\" \"$2\" \"$4\" > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; " + then;
        return new PluginSpec(id, PluginCommand.of(List.of("sh", "-c", script, record.toString())), new byte[0]);
    }

    /** Waits (a guard, not a speed target) for the record file and reads it. */
    static Record await(Path record, Duration guard) throws IOException, InterruptedException {
        long until = System.nanoTime() + guard.toNanos();
        while (!Files.exists(record)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the plugin script wrote no " + record + " within " + guard);
            }
            Thread.sleep(5);
        }
        List<String> lines = Files.readAllLines(record);
        return new Record(Long.parseLong(lines.get(0)), Path.of(lines.get(1)), Path.of(lines.get(2)));
    }
}
