package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
        List<String> lines = c.allLines();
        assertTrue(lines.contains("RESULT created"), String.join("\n", lines.subList(Math.max(0, lines.size() - 5),
                lines.size())));
        return lines;
    }

    @Test
    void theDefaultBackendNeverLoadsChronicle() throws Exception {
        List<String> lines = loadedClassesOfACreate("jdk", false);
        assertTrue(lines.stream().anyMatch(l -> l.contains("io.rapace.shm.JdkMemory")));
        assertTrue(lines.contains("BACKEND jdk"));
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
        assertTrue(lines.contains("BACKEND chronicle"));
        assertEquals(List.of(), lines.stream().filter(l -> !l.startsWith("[") && !l.startsWith("RESULT")
                && !l.startsWith("BACKEND")).toList(),
                "the chronicle backend printed something on stdout");
    }

    /**
     * Asked for chronicle without the JVM flags it needs on JDK 17, the segment is still created, on the JDK
     * backend, and exactly one warning line of the project's loggers (stderr, through System.Logger) says why. The
     * JVM's own warnings (JDK 24+ prints native-access and {@code sun.misc.Unsafe} notices for chronicle's jffi) are
     * not ours and are not counted.
     */
    @Test
    void chronicleWithoutItsFlagsFallsBackToJdkWithOneWarning() throws Exception {
        mergeStderr = true;
        List<String> lines = loadedClassesOfACreate("chronicle", false);
        assertTrue(lines.contains("BACKEND jdk"), String.join("\n", lines.stream().filter(l -> !l.startsWith("["))
                .toList()));
        assertTrue(lines.stream().anyMatch(l -> l.contains("io.rapace.shm.JdkMemory ")));
        List<String> warnings = ourWarnings(lines);
        assertEquals(1, warnings.size(), String.join("\n", warnings));
        String why = warnings.get(0);
        assertTrue(why.startsWith("WARNING: -Drapace.memory=chronicle asked for the chronicle-core backend but it did "
                + "not initialise ("), why);
        assertTrue(why.contains("--add-opens java.base/java.lang.reflect=ALL-UNNAMED"), why);
        assertTrue(why.contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"), why);
    }

    /**
     * The {@code WARNING:} lines logged by a project logger: {@code java.util.logging}'s default format puts the
     * logger's source (a class of {@code io.rapace}) on the line before the level and message.
     */
    private static List<String> ourWarnings(List<String> lines) {
        List<String> ours = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("WARNING:") && lines.get(i - 1).contains(" io.rapace.")) {
                ours.add(lines.get(i));
            }
        }
        return ours;
    }
}
