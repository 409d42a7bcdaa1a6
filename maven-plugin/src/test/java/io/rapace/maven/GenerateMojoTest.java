package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two pieces of {@link GenerateMojo} that are not Maven glue. */
class GenerateMojoTest {

    private static Artifact artifact(String groupId, String artifactId, String version, Path file) {
        Artifact artifact = new DefaultArtifact(groupId, artifactId, version, "runtime", "jar", null,
                new DefaultArtifactHandler("jar"));
        artifact.setFile(file.toFile());
        return artifact;
    }

    @Test
    void thePluginIdentityNamesEveryArtifactAndHashesTheSnapshots(@TempDir Path dir) throws IOException {
        Path pluginJar = Files.writeString(dir.resolve("plugin.jar"), "mojo");
        Path idlClasses = Files.createDirectories(dir.resolve("idl/classes"));
        Files.writeString(idlClasses.resolve("Generator.class"), "generator");
        Path javapoetJar = Files.writeString(dir.resolve("javapoet.jar"), "javapoet");
        PluginDescriptor plugin = new PluginDescriptor();
        plugin.setGroupId("io.rapace");
        plugin.setArtifactId("rapace-maven-plugin");
        plugin.setVersion("0.1.0-SNAPSHOT");
        Artifact pluginArtifact = artifact("io.rapace", "rapace-maven-plugin", "0.1.0-SNAPSHOT", pluginJar);
        plugin.setPluginArtifact(pluginArtifact);
        plugin.setArtifacts(List.of(pluginArtifact,
                artifact("io.rapace", "rapace-idl", "0.1.0-SNAPSHOT", idlClasses),
                artifact("com.palantir.javapoet", "javapoet", "0.22.0", javapoetJar)));

        String identity = GenerateMojo.pluginIdentity(plugin);
        assertEquals("io.rapace:rapace-maven-plugin:0.1.0-SNAPSHOT"
                + " com.palantir.javapoet:javapoet:jar:0.22.0"
                + " io.rapace:rapace-idl:jar:0.1.0-SNAPSHOT@" + Fingerprint.ofFileOrDirectory(idlClasses)
                + " io.rapace:rapace-maven-plugin:jar:0.1.0-SNAPSHOT@" + Fingerprint.ofFileOrDirectory(pluginJar),
                identity);

        Files.writeString(javapoetJar, "a release does not change under its version");
        assertEquals(identity, GenerateMojo.pluginIdentity(plugin));
        Files.writeString(idlClasses.resolve("Generator.class"), "a rebuilt snapshot of the generator");
        assertNotEquals(identity, GenerateMojo.pluginIdentity(plugin));
    }

    @Test
    void anExecutionIdBecomesASafeFileName() {
        assertEquals("default", GenerateMojo.fileName("default"));
        assertEquals("default-cli", GenerateMojo.fileName("default-cli"));
        assertEquals("api_v1.idl", GenerateMojo.fileName("api/v1.idl"));
        assertEquals("_hidden", GenerateMojo.fileName(".hidden"));
        assertEquals("_.", GenerateMojo.fileName(".."));
        assertEquals("_", GenerateMojo.fileName(""));
        assertEquals("caf_", GenerateMojo.fileName("caf\u00e9"));
    }
}
