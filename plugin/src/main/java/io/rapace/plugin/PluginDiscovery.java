package io.rapace.plugin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds plugin jars in a directory. A plugin jar names itself in its manifest:
 *
 * <pre>
 * Rapace-Plugin-Id: analytics
 * Rapace-Plugin-Main-Class: com.example.AnalyticsPlugin
 * </pre>
 *
 * <p>The id follows the plugin id rule (1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit); the
 * main class must be a Java class name and, unless the manifest has a {@code Class-Path}, a class in the jar. Each
 * {@code *.jar} file of the directory (not its subdirectories) that is not a valid plugin jar, including a library jar
 * without these attributes, is reported as a {@link Problem} naming the file; the scan goes on with the others. Two
 * jars with one id: the first in file-name order wins, the second is a problem naming both.
 *
 * <p>{@link #scan()} returns every plugin; {@link #rescan()} returns only plugins not returned before. A jar that
 * failed is looked at again on every rescan (it may have been half copied); a jar that was returned and has since been
 * deleted frees its id. Not thread-safe.
 */
public final class PluginDiscovery {
    public static final String ID_ATTRIBUTE = "Rapace-Plugin-Id";
    public static final String MAIN_CLASS_ATTRIBUTE = "Rapace-Plugin-Main-Class";

    private final Path directory;
    /** Plugins returned so far, by id. */
    private final Map<String, DiscoveredPlugin> known = new LinkedHashMap<>();

    public PluginDiscovery(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The plugins found by one look at the directory, and the jars that could not be used.
     *
     * @param found plugins in jar file-name order
     * @param problems jars skipped, in file-name order
     */
    public record Result(List<DiscoveredPlugin> found, List<Problem> problems) {
        public Result {
            found = List.copyOf(found);
            problems = List.copyOf(problems);
        }
    }

    /** A jar that is not a usable plugin jar, and why. {@link #toString()} is {@code <jar>: <message>}. */
    public record Problem(Path jar, String message) {
        @Override
        public String toString() {
            return jar + ": " + message;
        }
    }

    /**
     * Forgets what earlier scans returned and returns every plugin in the directory, with every problem found.
     *
     * @throws IOException if the directory itself cannot be listed
     */
    public Result scan() throws IOException {
        known.clear();
        return rescan();
    }

    /**
     * Looks at the directory and returns the plugins not returned by an earlier scan, with every problem found.
     *
     * @throws IOException if the directory itself cannot be listed
     */
    public Result rescan() throws IOException {
        for (Iterator<DiscoveredPlugin> it = known.values().iterator(); it.hasNext(); ) {
            if (!Files.exists(it.next().jar())) {
                it.remove();
            }
        }
        List<Path> jars = jars();

        List<DiscoveredPlugin> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path jar : jars) {
            if (known.values().stream().anyMatch(d -> d.jar().equals(jar))) {
                continue;
            }
            Object read = read(jar);
            if (read instanceof Problem) {
                problems.add((Problem) read);
                continue;
            }
            DiscoveredPlugin plugin = (DiscoveredPlugin) read;
            DiscoveredPlugin first = known.get(plugin.id());
            if (first != null) {
                problems.add(new Problem(jar, "duplicate plugin id \"" + plugin.id() + "\" (first declared by "
                        + first.jar() + ")"));
                continue;
            }
            known.put(plugin.id(), plugin);
            found.add(plugin);
        }
        return new Result(found, problems);
    }

    /**
     * For each plugin id named by a jar in the directory now, its newest jar (the latest modification time; among
     * equal times the last name), whether or not an earlier scan returned it; with every problem found. For picking
     * up new versions of plugins already running ({@code PluginHost.replaceFromDirectory}).
     *
     * @throws IOException if the directory itself cannot be listed
     */
    public Result newest() throws IOException {
        List<Path> jars = jars();
        Map<String, DiscoveredPlugin> newest = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path jar : jars) {
            Object read = read(jar);
            if (read instanceof Problem problem) {
                problems.add(problem);
                continue;
            }
            DiscoveredPlugin plugin = (DiscoveredPlugin) read;
            DiscoveredPlugin earlier = newest.get(plugin.id());
            if (earlier == null || modified(jar) >= modified(earlier.jar())) {
                newest.put(plugin.id(), plugin);
            }
        }
        return new Result(List.copyOf(newest.values()), problems);
    }

    /** The directory's jars (regular files named {@code *.jar}), sorted by name. */
    private List<Path> jars() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path jar : stream) {
                if (Files.isRegularFile(jar)) {
                    jars.add(jar);
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot list plugin directory " + directory + ": " + e, e);
        }
        jars.sort(null);
        return jars;
    }

    /** The jar's modification time in milliseconds, 0 if it cannot be read. */
    static long modified(Path jar) {
        try {
            return Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every plugin returned so far and still present, in the order found. */
    public List<DiscoveredPlugin> known() {
        return List.copyOf(known.values());
    }

    /** The plugin the jar names, or the problem with it. */
    private static Object read(Path jar) {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
            if (manifest == null) {
                return new Problem(jar, "not a plugin jar: it has no META-INF/MANIFEST.MF (a plugin jar names itself "
                        + "with the manifest attributes " + ID_ATTRIBUTE + " and " + MAIN_CLASS_ATTRIBUTE + ")");
            }
            Attributes attributes = manifest.getMainAttributes();
            String id = attributes.getValue(ID_ATTRIBUTE);
            String mainClass = attributes.getValue(MAIN_CLASS_ATTRIBUTE);
            if (id == null && mainClass == null) {
                return new Problem(jar, "not a plugin jar: its manifest has neither " + ID_ATTRIBUTE + " nor "
                        + MAIN_CLASS_ATTRIBUTE);
            }
            if (id == null) {
                return new Problem(jar, "manifest has " + MAIN_CLASS_ATTRIBUTE + " but no " + ID_ATTRIBUTE);
            }
            if (mainClass == null) {
                return new Problem(jar, "manifest has " + ID_ATTRIBUTE + " but no " + MAIN_CLASS_ATTRIBUTE);
            }
            id = id.trim();
            mainClass = mainClass.trim();
            String idProblem = PluginId.problem(id);
            if (idProblem != null) {
                return new Problem(jar, ID_ATTRIBUTE + ": " + idProblem);
            }
            if (!PluginCommand.isJavaClassName(mainClass)) {
                return new Problem(jar, MAIN_CLASS_ATTRIBUTE + " \"" + mainClass + "\" is not a Java class name");
            }
            String entry = mainClass.replace('.', '/') + ".class";
            if (attributes.getValue(Attributes.Name.CLASS_PATH) == null && file.getEntry(entry) == null) {
                return new Problem(jar, MAIN_CLASS_ATTRIBUTE + " " + mainClass + " is not in the jar (no " + entry
                        + ", and no Class-Path in the manifest)");
            }
            return new DiscoveredPlugin(id, mainClass, jar);
        } catch (IOException | SecurityException e) {
            return new Problem(jar, "not a readable jar: " + e.getMessage());
        }
    }
}
