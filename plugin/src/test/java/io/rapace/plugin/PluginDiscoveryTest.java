package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
    @TempDir
    Path dir;

    /** Writes a jar with the given main attributes (none: no manifest at all) and class entries. */
    private Path jar(String name, String[] attributes, String... classes) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar)) {
            JarOutputStream out;
            if (attributes == null) {
                out = new JarOutputStream(file);
            } else {
                Manifest manifest = new Manifest();
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                for (int i = 0; i < attributes.length; i += 2) {
                    manifest.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
                }
                out = new JarOutputStream(file, manifest);
            }
            try (out) {
                for (String cls : classes) {
                    out.putNextEntry(new JarEntry(cls.replace('.', '/') + ".class"));
                    out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("readme.txt"));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String[] plugin(String id, String mainClass) {
        return new String[] {"Rapace-Plugin-Id", id, "Rapace-Plugin-Main-Class", mainClass};
    }

    @Test
    void findsPluginJarsAndReportsEveryBadOneByFileWithoutStopping() throws IOException {
        Path a = jar("a-analytics.jar", plugin("analytics", "com.example.Analytics"), "com.example.Analytics");
        Path b = jar("b-duplicate.jar", plugin("analytics", "com.example.Other"), "com.example.Other");
        Path c = jar("c-no-manifest.jar", null, "com.example.C");
        Path d = jar("d-no-main.jar", new String[] {"Rapace-Plugin-Id", "d"});
        Path e = jar("e-bad-id.jar", plugin("bad id", "com.example.E"), "com.example.E");
        Path f = dir.resolve("f-not-a-zip.jar");
        Files.writeString(f, "this is not a jar");
        Path g = jar("g-missing-class.jar", plugin("g", "com.example.G"));
        Path h = jar("h-library.jar", new String[] {"Implementation-Title", "some library"}, "org.lib.Util");
        Path i = jar("i-transform.jar", new String[] {"Rapace-Plugin-Id", " transform ", "Rapace-Plugin-Main-Class",
            "com.example.Transform", "Class-Path", "lib/transform-core.jar"});
        Path k = jar("k-bad-class.jar", plugin("k", "com.example.K.class"));
        Files.writeString(dir.resolve("notes.txt"), "not a jar, not looked at");
        Files.createDirectory(dir.resolve("sub.jar"));

        PluginDiscovery discovery = new PluginDiscovery(dir);
        PluginDiscovery.Result result = discovery.scan();

        assertEquals(List.of(new DiscoveredPlugin("analytics", "com.example.Analytics", a),
                new DiscoveredPlugin("transform", "com.example.Transform", i)), result.found());
        List<String> problems = result.problems().stream().map(Object::toString).collect(Collectors.toList());
        assertEquals(8, problems.size(), String.join("\n", problems));
        assertEquals(b + ": duplicate plugin id \"analytics\" (first declared by " + a + ")", problems.get(0));
        assertEquals(c + ": not a plugin jar: it has no META-INF/MANIFEST.MF (a plugin jar names itself with the "
                + "manifest attributes Rapace-Plugin-Id and Rapace-Plugin-Main-Class)", problems.get(1));
        assertEquals(d + ": manifest has Rapace-Plugin-Id but no Rapace-Plugin-Main-Class", problems.get(2));
        assertEquals(e + ": Rapace-Plugin-Id: plugin id \"bad id\" is not valid: use 1 to 64 of the characters A-Z "
                + "a-z 0-9 . _ -, starting with a letter or a digit", problems.get(3));
        assertTrue(problems.get(4).startsWith(f + ": not a readable jar: "), problems.get(4));
        assertEquals(g + ": Rapace-Plugin-Main-Class com.example.G is not in the jar (no com/example/G.class, and no "
                + "Class-Path in the manifest)", problems.get(5));
        assertEquals(h + ": not a plugin jar: its manifest has neither Rapace-Plugin-Id nor Rapace-Plugin-Main-Class",
                problems.get(6));
        assertEquals(k + ": Rapace-Plugin-Main-Class \"com.example.K.class\" is not a Java class name",
                problems.get(7));
        assertEquals(result.problems().get(0).jar(), b);
    }

    @Test
    void rescanReturnsOnlyNewPlugins() throws IOException {
        Path a = jar("a.jar", plugin("analytics", "com.example.Analytics"), "com.example.Analytics");
        PluginDiscovery discovery = new PluginDiscovery(dir);
        assertEquals(List.of(new DiscoveredPlugin("analytics", "com.example.Analytics", a)), discovery.scan().found());
        assertEquals(new PluginDiscovery.Result(List.of(), List.of()), discovery.rescan());

        Path t = jar("t.jar", plugin("transform", "com.example.Transform"), "com.example.Transform");
        Path dup = jar("z.jar", plugin("analytics", "com.example.Z"), "com.example.Z");
        PluginDiscovery.Result second = discovery.rescan();
        assertEquals(List.of(new DiscoveredPlugin("transform", "com.example.Transform", t)), second.found());
        assertEquals(List.of(new PluginDiscovery.Problem(dup, "duplicate plugin id \"analytics\" (first declared by "
                + a + ")")), second.problems());

        // The first analytics jar is gone: its id is free, and the other jar that declares it is now new.
        Files.delete(a);
        assertEquals(List.of(new DiscoveredPlugin("analytics", "com.example.Z", dup)), discovery.rescan().found());
        assertEquals(List.of("transform", "analytics"),
                discovery.known().stream().map(DiscoveredPlugin::id).collect(Collectors.toList()));
        // scan() starts over and returns everything present.
        assertEquals(2, discovery.scan().found().size());
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new PluginDiscovery(missing).scan());
        assertTrue(e.getMessage().startsWith("cannot list plugin directory " + missing + ": "), e.getMessage());
    }

    @Test
    void aDescriptorRunsItsMainClassFromItsJar() {
        DiscoveredPlugin descriptor = new DiscoveredPlugin("analytics", "com.example.Analytics", Path.of("a.jar"));
        List<String> line = descriptor.command(List.of("-Xmx64m")).commandLine(List.of("--segment", "s"));
        assertEquals(List.of("-Xmx64m", "-cp", "a.jar", "com.example.Analytics", "--segment", "s"),
                line.subList(1, line.size()));
    }
}
