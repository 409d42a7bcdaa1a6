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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    /** How a plugin found running is replaced: {@link PluginHandle#replace}. */
    interface Running {
        Optional<PluginHandle> plugin(String id);
    }

    /** The directory a plugin was launched from, the jar it runs, and the jar's modification time then. */
    private record Origin(Path directory, Path jar, long modified) {
    }

    private final List<String> jvmOptions;
    private final Map<Path, PluginDiscovery> discoveries = new HashMap<>();
    /** By plugin id: the jar each plugin launched or replaced from a directory runs. */
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    DirectoryLoader(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    DiscoveryResult load(Path directory, Launcher launcher) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        PluginDiscovery discovery;
        synchronized (discoveries) {
            discovery = discoveries.computeIfAbsent(dir, PluginDiscovery::new);
        }
        PluginDiscovery.Result found = discovery.rescan();
        List<PluginHandle> launched = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        logged(found.problems(), problems);
        for (DiscoveredPlugin plugin : found.found()) {
            try {
                launched.add(launcher.launch(new PluginSpec(plugin.id(), plugin.command(jvmOptions), new byte[0])));
                origins.put(plugin.id(), new Origin(dir, plugin.jar(), PluginDiscovery.modified(plugin.jar())));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "plugin " + plugin.id() + " from " + plugin.jar() + " did not start: "
                        + e.getMessage());
                problems.add(plugin.jar() + ": " + e.getMessage());
            }
        }
        return new DiscoveryResult(List.copyOf(launched), List.copyOf(problems));
    }

    /**
     * Replaces each running plugin that was launched (or replaced) from {@code directory} and has a newer jar there
     * now: another jar naming its id, or its own jar modified since. A replace that fails is logged and listed, and
     * leaves that plugin's running version.
     */
    DiscoveryResult replaceNewer(Path directory, Running running, ReplaceOptions options) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        PluginDiscovery.Result found = new PluginDiscovery(dir).newest();
        List<PluginHandle> replaced = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        logged(found.problems(), problems);
        for (DiscoveredPlugin plugin : found.found()) {
            Origin origin = origins.get(plugin.id());
            Optional<PluginHandle> handle = running.plugin(plugin.id());
            long modified = PluginDiscovery.modified(plugin.jar());
            if (origin == null || !origin.directory().equals(dir) || handle.isEmpty()
                    || handle.get().state() != PluginState.RUNNING
                    || (origin.jar().equals(plugin.jar()) && origin.modified() >= modified)) {
                continue; // not from a directory, not running, or nothing newer
            }
            try {
                handle.get().replace(new PluginSpec(plugin.id(), plugin.command(jvmOptions), new byte[0]), options);
                origins.put(plugin.id(), new Origin(dir, plugin.jar(), modified));
                replaced.add(handle.get());
                LOG.log(Level.INFO, "plugin " + plugin.id() + " replaced by its newer jar " + plugin.jar());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "plugin " + plugin.id() + " was not replaced by " + plugin.jar() + ": "
                        + e.getMessage());
                problems.add(plugin.jar() + ": " + e.getMessage());
            }
        }
        return new DiscoveryResult(List.copyOf(replaced), List.copyOf(problems));
    }

    /** Forgets where plugin {@code id} came from: it was removed, or launched again by other means. */
    void forget(String id) {
        origins.remove(id);
    }

    /** Logs each of {@code found} and adds it, in words, to {@code problems}. */
    private static void logged(List<PluginDiscovery.Problem> found, List<String> problems) {
        for (PluginDiscovery.Problem problem : found) {
            LOG.log(Level.WARNING, "plugin discovery: " + problem);
            problems.add(problem.toString());
        }
    }
}
