package io.rapace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What a finished run must not leave: a live process, or a file in /dev/shm of one of its processes. */
public final class Leftovers {
    private Leftovers() {
    }

    /**
     * Every process in {@code pids} but this JVM ends within a bounded guard (a host waits for its plugins,
     * so they are normally gone already), and /dev/shm holds no segment, socket or stat file of any of them.
     */
    public static void assertNothingLeft(Collection<Long> pids) throws IOException {
        long self = ProcessHandle.current().pid();
        for (long pid : pids) {
            if (pid == self) {
                continue;
            }
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid
                    + " still runs");
        }
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            List<String> left = files.map(f -> f.getFileName().toString())
                    .filter(name -> pids.stream().anyMatch(pid -> name.startsWith("rapace-" + pid + "-")
                            || name.equals("rapace-stat-" + pid)))
                    .toList();
            assertEquals(List.of(), left, "files left in /dev/shm");
        }
    }
}
