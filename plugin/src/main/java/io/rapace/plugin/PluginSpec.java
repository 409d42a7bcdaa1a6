package io.rapace.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PluginHost} needs to start a plugin: its id, how to start its process, and the configuration it is
 * initialised with (the Initialize verb, answered by the plugin main's hook). The same spec serves every restart.
 *
 * @param id      the plugin's id (1 to 64 of A-Z a-z 0-9 . _ -), its identity in logs, metrics and the stat file
 * @param command the process to start; the host appends the segment, socket and id options ({@link PluginMain})
 * @param config  the bytes the plugin's Initialize hook receives (a seed {@code Plugin}:
 *                {@code PluginConfig.config_data})
 */
public record PluginSpec(String id, PluginCommand command, byte[] config) {

    public PluginSpec {
        PluginId.check(id);
        Objects.requireNonNull(command, "command");
        config = config.clone();
    }

    /** A plugin whose {@code main} class runs on this host's JVM with {@code classPath}. */
    public static PluginSpec java(String id, String mainClass, List<Path> classPath, byte[] config) {
        return new PluginSpec(id, PluginCommand.java(mainClass, classPath, List.of()), config);
    }

    /** A plugin whose {@code main} class is on this JVM's own class path (samples and tests). */
    public static PluginSpec sameClassPath(String id, Class<?> mainClass, byte[] config) {
        List<Path> classPath = java.util.Arrays.stream(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of).toList();
        return java(id, mainClass.getName(), classPath, config);
    }

    @Override
    public byte[] config() {
        return config.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginSpec other && id.equals(other.id) && command.equals(other.command)
                && java.util.Arrays.equals(config, other.config);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, command, java.util.Arrays.hashCode(config));
    }

    @Override
    public String toString() {
        return "PluginSpec[" + id + ", " + command + ", " + config.length + " bytes of config]";
    }
}
