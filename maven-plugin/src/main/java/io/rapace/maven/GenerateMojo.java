package io.rapace.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates Java from {@code .rapace} IDL files: the records, enums and codecs of every type, and for each service
 * its interface, client, dispatcher and registry descriptor, plus the {@code ServiceLoader} file that registers the
 * descriptors.
 *
 * <p>Every file under {@link #sourceDirectory} that an {@link #includes include} pattern matches is parsed, together
 * with the files they import, as one schema. If any has an error, every diagnostic is logged as
 * {@code file:line:column: message} (the file's absolute path), with the offending line and a caret under the
 * column, and the build fails. Otherwise the Java sources are written to {@link #outputDirectory}, which is added as
 * a compile source root, and the {@code ServiceLoader} file to a directory of the execution's own under
 * {@code target/generated-resources/rapace}, which is added as a resource directory. One line sums up the run.
 *
 * <p>The goal is incremental: when the plugin, its parameters and the content of every file read (included or only
 * imported) are those of the last successful run, and every file it wrote still exists, it writes nothing. When it
 * does generate, it rewrites only files whose text changed, and deletes the files of the last run that it no longer
 * generates (those of a deleted IDL file, for example). {@code docs/maven-plugin.md} documents the goal.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** The directory holding the IDL files. A directory that does not exist, or has no IDL file, is not an error. */
    @Parameter(defaultValue = "${project.basedir}/src/main/rapace", required = true)
    private File sourceDirectory;

    /** Where the Java sources are written; added to the project as a compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/rapace", required = true)
    private File outputDirectory;

    /**
     * The IDL files to read, as Ant-style patterns relative to {@link #sourceDirectory}; by default
     * {@code **}{@code /*.rapace}. The files they import are read as well, whether included or not.
     */
    @Parameter
    private List<String> includes;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path buildDirectory = Path.of(project.getBuild().getDirectory());
        String executionName = fileName(mojoExecution.getExecutionId());
        Path resourceDirectory = buildDirectory.resolve("generated-resources").resolve("rapace").resolve(executionName);
        Generation.Settings settings = new Generation.Settings(project.getBasedir().toPath(), sourceDirectory.toPath(),
                includes, outputDirectory.toPath(), resourceDirectory,
                buildDirectory.resolve("rapace-maven-plugin").resolve(executionName + ".state"),
                pluginIdentity(mojoExecution.getMojoDescriptor().getPluginDescriptor()));
        Path sources = settings.outputDirectory();
        Path resources = settings.resourceDirectory();

        try {
            IncludePattern.compileAll(includes);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Invalid <includes>: " + e.getMessage(), e);
        }
        Path providerFile = resources.resolve(ProviderFileMerge.PROVIDER_FILE);
        List<String> previousProviders;
        Generation.Outcome outcome;
        try {
            previousProviders = ProviderFileMerge.ownEntries(providerFile);
            outcome = new Generation(settings, new RapaceGenerator(sources, resources)).run();
        } catch (IOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }

        if (outcome instanceof Generation.Outcome.Failed failed) {
            for (String error : failed.errors()) {
                getLog().error(error);
            }
            throw new MojoFailureException(failed.message());
        }
        getLog().info(outcome.message());
        GenerationState state;
        if (outcome instanceof Generation.Outcome.Generated generated) {
            state = generated.state();
        } else if (outcome instanceof Generation.Outcome.UpToDate upToDate) {
            state = upToDate.state();
        } else {
            return;
        }
        // Also when nothing was generated this time: the compiler and the jar need the files of the last run.
        project.addCompileSourceRoot(sources.toString());
        if (state.outputs().stream().anyMatch(output -> output.root().equals(resources))) {
            addResourceDirectory(resources);
        }
        try {
            ProviderFileMerge.merge(Path.of(project.getBuild().getOutputDirectory()), providerFile, previousProviders);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot update the ServiceLoader file " + providerFile + ": "
                    + e.getMessage(), e);
        }
    }

    private void addResourceDirectory(Path directory) {
        for (Resource resource : project.getResources()) {
            if (directory.toString().equals(resource.getDirectory())) {
                return;
            }
        }
        Resource resource = new Resource();
        resource.setDirectory(directory.toString());
        project.addResource(resource);
    }

    /**
     * The plugin's coordinates and those of every artifact in its class realm; for a snapshot, also the SHA-256 of
     * its file, so that a rebuilt snapshot of the generator regenerates although its version did not change.
     */
    static String pluginIdentity(PluginDescriptor plugin) {
        Map<String, Artifact> artifacts = new TreeMap<>();
        if (plugin.getPluginArtifact() != null) {
            artifacts.put(plugin.getPluginArtifact().getId(), plugin.getPluginArtifact());
        }
        if (plugin.getArtifacts() != null) {
            for (Artifact artifact : plugin.getArtifacts()) {
                artifacts.putIfAbsent(artifact.getId(), artifact);
            }
        }
        StringBuilder identity = new StringBuilder(plugin.getId());
        for (Artifact artifact : artifacts.values()) {
            identity.append(' ').append(artifact.getId());
            if (artifact.isSnapshot() && artifact.getFile() != null) {
                identity.append('@').append(Fingerprint.ofFileOrDirectory(artifact.getFile().toPath()));
            }
        }
        return identity.toString();
    }

    /** {@code id} with every character that may not be safe in a file name replaced by {@code _}. */
    static String fileName(String id) {
        StringBuilder name = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            name.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || (c == '.' && i > 0) ? c : '_');
        }
        return name.length() == 0 ? "_" : name.toString();
    }
}
