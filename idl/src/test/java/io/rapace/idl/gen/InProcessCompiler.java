package io.rapace.idl.gen;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles generated files with javac in this JVM, as the build compiles hand-written code: {@code --release 17
 * -Xlint:all,-processing -Werror}, against the test class path (the runtime and everything else generated code may
 * use). Resources are copied beside the classes, so the output is a class path of its own.
 */
final class InProcessCompiler {

    /** The options of the root pom's compiler configuration. */
    static final List<String> OPTIONS = List.of("--release", "17", "-Xlint:all,-processing", "-Werror");

    /** What javac said (every diagnostic as {@code path:line: kind: message}), and where the classes are. */
    record Result(List<String> diagnostics, Path classes) {

        /** A class loader over the compiled classes and resources, the test class path behind it. */
        URLClassLoader classLoader() throws IOException {
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, InProcessCompiler.class.getClassLoader());
        }
    }

    private InProcessCompiler() {
    }

    static Result compile(List<GeneratedFile> files, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (GeneratedFile file : files) {
            if (file.kind() == GeneratedFile.Kind.SOURCE) {
                sources.add(new Source(file));
            } else {
                Path target = classes.resolve(file.path());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            }
        }
        Files.createDirectories(classes);
        List<String> options = new ArrayList<>(OPTIONS);
        options.add("-classpath");
        options.add(System.getProperty("java.class.path"));
        try (StandardJavaFileManager manager = javac.getStandardFileManager(collector, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            manager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            javac.getTask(null, manager, collector, options, null, sources).call();
        }
        List<String> diagnostics = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
            String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
            diagnostics.add(where + d.getKind() + ": " + d.getMessage(Locale.ROOT));
        }
        return new Result(diagnostics, classes);
    }

    /** A generated source, named by its path. */
    private static final class Source extends SimpleJavaFileObject {
        private final String content;

        Source(GeneratedFile file) {
            super(URI.create("string:///" + file.path()), Kind.SOURCE);
            this.content = file.content();
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return content;
        }
    }
}
