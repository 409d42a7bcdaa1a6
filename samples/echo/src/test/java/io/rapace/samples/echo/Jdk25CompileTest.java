package io.rapace.samples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles this sample with a JDK 25 javac, the processor given as the documented setup gives it (Maven's
 * {@code annotationProcessorPaths} is javac's {@code --processor-path}), and shows the symptom of the setup JDK 23+ no
 * longer honours (the processor only on the class path). The JDK is the system property {@code rapace.jdk25.home},
 * else the environment variable {@code JAVA25_HOME}, else the first {@code /usr/lib/jvm/temurin-25*}; where there is
 * none the test is skipped and says why.
 */
class Jdk25CompileTest {

    @TempDir
    Path work;

    private static Optional<Path> jdk25() throws IOException {
        for (String configured : new String[] {System.getProperty("rapace.jdk25.home"), System.getenv("JAVA25_HOME")}) {
            if (configured != null && !configured.isEmpty()) {
                return Optional.of(Path.of(configured));
            }
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> candidates = Files.list(jvms)) {
            return candidates.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/javac"))).sorted().findFirst();
        }
    }

    /** The test class path: surefire names it in a property (the JVM's own may be a manifest-only jar). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static String onlyEntries(String classPath, String... markers) {
        List<String> kept = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            for (String marker : markers) {
                if (entry.contains(marker)) {
                    kept.add(entry);
                    break;
                }
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private Result javac(Path javaHome, Path out, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/javac").toString());
        command.addAll(options);
        command.addAll(List.of("--release", "17", "-Xlint:all,-processing", "-Werror", "-d", out.toString()));
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> command.add(p.toString()));
        }
        // A use of a generated class, as the tests make: it fails to compile when the processor did not run.
        Path user = work.resolve("src/io/rapace/samples/echo/Uses.java");
        Files.createDirectories(user.getParent());
        Files.writeString(user, "package io.rapace.samples.echo;\n\nfinal class Uses {\n"
                + "    private Uses() {\n    }\n\n"
                + "    static Echo client(io.rapace.rpc.CallChannel channel) {\n"
                + "        return new EchoClient(channel);\n    }\n}\n");
        command.add(user.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "javac did not finish");
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }

    @Test
    void compilesWithTheProcessorOnTheProcessorPathAndNotFromTheClassPath() throws Exception {
        Optional<Path> jdk = jdk25();
        if (jdk.isEmpty()) {
            System.out.println("Jdk25CompileTest skipped: no JDK 25 (set -Drapace.jdk25.home or JAVA25_HOME, or"
                    + " install one under /usr/lib/jvm/temurin-25*)");
        }
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 25: set -Drapace.jdk25.home or JAVA25_HOME");
        String runtime = onlyEntries(classPath(), "runtime");
        String processorPath = onlyEntries(classPath(), "processor", "idl", "javapoet", "runtime");

        Path documented = Files.createDirectories(work.resolve("documented"));
        Result ok = javac(jdk.get(), documented, List.of("-cp", runtime, "--processor-path", processorPath));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(Files.exists(documented.resolve("io/rapace/samples/echo/EchoClient.class")));
        assertTrue(Files.exists(documented.resolve("META-INF/rapace/rapace.samples.Echo.rapace")));

        Path classPathOnly = Files.createDirectories(work.resolve("class-path-only"));
        Result missing = javac(jdk.get(), classPathOnly, List.of("-cp", processorPath));
        assertEquals(1, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("error: cannot find symbol"), missing.output());
        assertTrue(missing.output().contains("symbol:   class EchoClient"), missing.output());
    }
}
