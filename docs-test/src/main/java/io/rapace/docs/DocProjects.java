package io.rapace.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The docs test's first step: checks the code blocks of {@code README.md} and {@code docs/*.md} and writes the
 * project of each built document into {@code <out>/<document name>} for maven-invoker-plugin.
 *
 * <p>Arguments: the repository root, the built documents (comma-separated names in {@code docs/}), the rapace
 * version being built, the harness directory (its {@code *.groovy} go into every project), the output directory.
 */
public final class DocProjects {
    private DocProjects() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: DocProjects <root> <built docs> <version> <harness> <out>");
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Set<String> built = builtDocs(args[1]);
        List<String> problems = problems(root, built, args[2]);
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            throw new IllegalStateException(problems.size() + " problem(s) with the documentation's code blocks:\n"
                    + String.join("\n", problems));
        }
        for (String name : built.stream().sorted().toList()) {
            String doc = "docs/" + name;
            DocProject project = DocProject.of(Markdown.snippets(doc, read(root.resolve(doc))));
            Path dir = Path.of(args[4]).resolve(name.replaceFirst("\\.md$", ""));
            project.write(dir, Path.of(args[3]));
            System.out.println("[docs-test] " + doc + " -> " + dir + ": " + project.files().size() + " files, "
                    + project.runs().size() + " mvn command(s), " + project.output().size() + " output line(s)");
        }
    }

    static Set<String> builtDocs(String commaSeparated) {
        return Set.of(commaSeparated.strip().split("\\s*,\\s*"));
    }

    /** The documents the rules apply to: README.md and every docs/*.md, relative to the root, sorted. */
    static List<String> documents(Path root) throws IOException {
        List<String> docs = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.map(p -> "docs/" + p.getFileName()).filter(n -> n.endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** Every problem of every document, and a built document that does not exist. */
    static List<String> problems(Path root, Set<String> built, String version) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> docs = documents(root);
        for (String name : built) {
            if (!docs.contains("docs/" + name)) {
                problems.add("docs/" + name + ": listed as built, but there is no such document");
            }
        }
        for (String doc : docs) {
            boolean isBuilt = doc.startsWith("docs/") && built.contains(doc.substring("docs/".length()));
            problems.addAll(SnippetRules.problems(Markdown.snippets(doc, read(root.resolve(doc))), isBuilt, version));
        }
        return problems;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
