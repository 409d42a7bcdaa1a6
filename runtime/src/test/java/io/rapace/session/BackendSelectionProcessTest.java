package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default path never loads a chronicle class (checked in a child JVM that logs every class it loads), and the
 * opt-in path does; without the JVM flags the opt-in falls back to the JDK backend instead of failing.
 */
class BackendSelectionProcessTest extends ChildProcessTest {
    @Override
    public String backend() {
        return "jdk";
    }

    private List<String> loadedClassesOfACreate(String backend, boolean flags) throws Exception {
        extraJvmArgs.add("-Xlog:class+load=info");
        extraJvmArgs.add("-Drapace.memory=" + backend);
        if (flags) {
            extraJvmArgs.addAll(List.of(System.getProperty("rapace.chronicle.flags",
                    "--add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED")
                    .split(" ")));
        }
        Child c = spawn("create", "64", "16", "4096");
        assertTrue(c.process.waitFor(60, TimeUnit.SECONDS));
        Thread.sleep(200); // let the stdout reader take the last lines
        List<String> lines = new ArrayList<>(c.lines);
        assertTrue(lines.contains("RESULT created"), String.join("\n", lines.subList(Math.max(0, lines.size() - 5),
                lines.size())));
        return lines;
    }

    @Test
    void theDefaultBackendNeverLoadsChronicle() throws Exception {
        List<String> lines = loadedClassesOfACreate("jdk", false);
        assertTrue(lines.stream().anyMatch(l -> l.contains("io.rapace.shm.JdkMemory")));
        assertFalse(lines.stream().anyMatch(l -> l.contains("net.openhft") || l.contains("ChronicleMemory")),
                "a chronicle class was loaded on the default path");
    }

    @Test
    void theChronicleBackendLoadsChronicleWhenAskedFor() throws Exception {
        List<String> lines = loadedClassesOfACreate("chronicle", true);
        assertTrue(lines.stream().anyMatch(l -> l.contains("io.rapace.shm.ChronicleMemory ")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("net.openhft.chronicle.core.UnsafeMemory ")));
        assertFalse(lines.stream().anyMatch(l -> l.contains("chronicle.analytics") && !l.contains("core.analytics")),
                "chronicle-analytics is excluded");
        assertEquals(List.of(), lines.stream().filter(l -> !l.startsWith("[") && !l.startsWith("RESULT")).toList(),
                "the chronicle backend printed something on stdout");
    }
}
