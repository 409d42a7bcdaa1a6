package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginCommandTest {

    @Test
    void javaCommandRunsTheMainClassOnThisJvmWithOptionsClassPathAndTheHostsArguments() {
        PluginCommand command = PluginCommand.java("com.example.Analytics", List.of(Path.of("a.jar"), Path.of("lib")),
                List.of("-Xmx64m", "-Dx=y"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertEquals(List.of(java, "-Xmx64m", "-Dx=y", "-cp", "a.jar" + File.pathSeparator + "lib",
                "com.example.Analytics", "--segment", "/dev/shm/s"),
                command.commandLine(List.of("--segment", "/dev/shm/s")));
        // Each start appends to the same prefix.
        assertEquals(6, command.commandLine(List.of()).size());
    }

    @Test
    void commandLineKeepsTheCommandAndAppendsTheHostsArguments() {
        PluginCommand command = PluginCommand.of(List.of("/opt/plugin/run.sh", "--verbose"));
        assertEquals(List.of("/opt/plugin/run.sh", "--verbose", "--socket", "s"),
                command.commandLine(List.of("--socket", "s")));
        assertEquals("/opt/plugin/run.sh --verbose", command.toString());
    }

    @Test
    void rejectsWhatCannotRun() {
        assertEquals("main class \"1com.Bad\" is not a Java class name", assertThrows(IllegalArgumentException.class,
                () -> PluginCommand.java("1com.Bad", List.of(Path.of("a.jar")), List.of())).getMessage());
        assertEquals("class path of com.Good is empty", assertThrows(IllegalArgumentException.class,
                () -> PluginCommand.java("com.Good", List.of(), List.of())).getMessage());
        assertEquals("plugin command line is empty", assertThrows(IllegalArgumentException.class,
                () -> PluginCommand.of(List.of())).getMessage());
    }

    @Test
    void recognisesJavaClassNames() {
        assertTrue(PluginCommand.isJavaClassName("Main"));
        assertTrue(PluginCommand.isJavaClassName("com.example.Outer$Inner"));
        assertTrue(PluginCommand.isJavaClassName("caf\u00e9.Plugin"));
        assertFalse(PluginCommand.isJavaClassName(""));
        assertFalse(PluginCommand.isJavaClassName("com..Main"));
        assertFalse(PluginCommand.isJavaClassName("com.example.Main.class."));
        assertFalse(PluginCommand.isJavaClassName("com/example/Main"));
        assertFalse(PluginCommand.isJavaClassName("com.example.Main.class"));
        assertFalse(PluginCommand.isJavaClassName("int"));
    }
}
