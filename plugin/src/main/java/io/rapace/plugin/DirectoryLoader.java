package io.rapace.plugin;

import static io.rapace.plugin.HostContext.LOG;

import io.rapace.plugin.PluginHost.DiscoveryResult;
import io.rapace.plugin.PluginHost.PluginHandle;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PluginHost#loadDirectory}: one {@link PluginDiscovery} per directory, remembering what it returned, and the
 * launch of each newly found plugin with the host's JVM options and an empty configuration. Every problem is logged
 * and listed in the result, naming its jar.
 */
final class DirectoryLoader {
    /** How a found plugin is launched: {@link PluginHost#launch}. */
    interface Launcher {
        PluginHandle launch(PluginSpec spec) throws IOException;
    }

    private final List<String> jvmOptions;
    private final Map<Path, PluginDiscovery> discoveries = new HashMap<>();

    DirectoryLoader(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    DiscoveryResult load(Path directory, Launcher launcher) throws IOException {
        PluginDiscovery discovery;
        synchronized (discoveries) {
            discovery = discoveries.computeIfAbsent(directory.toAbsolutePath().normalize(), PluginDiscovery::new);
        }
        PluginDiscovery.Result found = discovery.rescan();
        List<PluginHandle> launched = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PluginDiscovery.Problem problem : found.problems()) {
            LOG.log(Level.WARNING, "plugin discovery: " + problem);
            problems.add(problem.toString());
        }
        for (DiscoveredPlugin plugin : found.found()) {
            try {
                launched.add(launcher.launch(new PluginSpec(plugin.id(), plugin.command(jvmOptions), new byte[0])));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "plugin " + plugin.id() + " from " + plugin.jar() + " did not start: "
                        + e.getMessage());
                problems.add(plugin.jar() + ": " + e.getMessage());
            }
        }
        return new DiscoveryResult(List.copyOf(launched), List.copyOf(problems));
    }
}
