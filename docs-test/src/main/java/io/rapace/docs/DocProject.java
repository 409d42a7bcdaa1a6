package io.rapace.docs;

import io.rapace.docs.Snippet.Marker.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example project one document describes: its {@code file:} blocks, the Maven commands of its {@code run}
 * blocks and the lines of its {@code output} blocks.
 *
 * @param files  path in the project to content, in the document's order
 * @param runs   the arguments of each {@code mvn} command, in order
 * @param output the lines the runs must print, in order
 */
record DocProject(Map<String, String> files, List<String> runs, List<String> output) {

    static DocProject of(List<Snippet> snippets) {
        Map<String, String> files = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        List<String> output = new ArrayList<>();
        for (Snippet s : snippets) {
            if (s.marker() == null) {
                continue;
            }
            Kind kind = s.marker().kind();
            if (kind == Kind.FILE) {
                files.put(s.marker().argument(), s.text());
            } else if (kind == Kind.RUN) {
                s.text().lines().filter(l -> !l.isBlank()).map(DocProject::invokerGoals).forEach(runs::add);
            } else if (kind == Kind.OUTPUT) {
                s.text().lines().forEach(output::add);
            }
        }
        return new DocProject(files, runs, output);
    }

    /** {@code mvn -B -q verify} as invoker goals: {@code -q verify} (the invoker always runs in batch mode). */
    static String invokerGoals(String command) {
        return Stream.of(command.strip().split("\\s+")).skip(1).filter(a -> !a.equals("-B"))
                .reduce((a, b) -> a + " " + b).orElse("");
    }

    /**
     * Writes the project into {@code dir} (emptied first): its files, {@code invoker.properties} with one invocation
     * per command, {@code expected-output.txt}, and the files of {@code harness} (the shared verify script).
     */
    void write(Path dir, Path harness) throws IOException {
        deleteRecursively(dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
        StringBuilder properties = new StringBuilder("# Written by the docs test from the document's run blocks.\n");
        for (int i = 0; i < runs.size(); i++) {
            properties.append("invoker.goals.").append(i + 1).append(" = ").append(runs.get(i)).append('\n');
        }
        // a guard against a hang, not a speed target
        properties.append("invoker.timeoutInSeconds = 300\n");
        Files.writeString(dir.resolve("invoker.properties"), properties, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("expected-output.txt"),
                output.isEmpty() ? "" : String.join("\n", output) + "\n", StandardCharsets.UTF_8);
        try (Stream<Path> scripts = Files.list(harness)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".groovy")).toList()) {
                Files.copy(script, dir.resolve(script.getFileName()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
