package io.rapace.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin jar found by {@link PluginDiscovery}: the plugin it names and where it is. (Not to be confused with the
 * generated {@code io.rapace.plugin.api.PluginDescriptor}, the description of the seed's {@code Plugin} service.)
 *
 * @param id the plugin's id, from the manifest attribute {@code Rapace-Plugin-Id}
 * @param mainClass the class whose {@code main} starts the plugin, from {@code Rapace-Plugin-Main-Class}
 * @param jar the jar it was found in
 */
public record DiscoveredPlugin(String id, String mainClass, Path jar) {

    /** The command that runs this plugin on the host's JVM with the jar as its class path. */
    public PluginCommand command(List<String> jvmOptions) {
        return PluginCommand.java(mainClass, List.of(jar), jvmOptions);
    }
}
