package io.rapace.docs;

import io.rapace.docs.Snippet.Marker.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of {@code docs/docs-test.md} for the snippets of one document. Every problem is reported as
 * {@code doc:line: message}, and every problem of a document is reported, not just the first.
 */
final class SnippetRules {
    /** The published artifacts (docs/modules.md); a snippet naming any other io.rapace artifact is wrong. */
    static final Set<String> ARTIFACTS = Set.of("rapace-bom", "rapace-runtime", "rapace-idl", "rapace-processor",
            "rapace-maven-plugin", "rapace-plugin", "rapace-grpc");
    /** Properties every Maven project has; any other ${...} must be defined in the same snippet. */
    private static final Set<String> BUILT_IN = Set.of("project.basedir", "basedir", "project.build.directory");
    static final String HOW = "mark it <!-- file: PATH --> (in a built document) or <!-- fragment --> "
            + "(see docs/docs-test.md)";

    private static final Pattern PROPERTY_USE = Pattern.compile("\\$\\{([^}]*)}");
    /** A dependency, plugin or processor path of io.rapace, written groupId, artifactId, version, as Maven does. */
    private static final Pattern RAPACE_ELEMENT = Pattern.compile("<(?:dependency|plugin|path)>\\s*"
            + "<groupId>io\\.rapace</groupId>\\s*<artifactId>([^<]*)</artifactId>(?:\\s*<version>([^<]*)</version>)?");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    private SnippetRules() {
    }

    /**
     * The problems of one document's snippets.
     *
     * @param built   whether the docs test builds this document's project
     * @param version the version of the rapace artifacts being built, which every snippet must name
     */
    static List<String> problems(List<Snippet> snippets, boolean built, String version) {
        List<String> problems = new ArrayList<>();
        Set<String> files = new HashSet<>();
        boolean ran = false;
        for (Snippet s : snippets) {
            Snippet.Marker marker = s.marker();
            boolean mavenish = s.info().equals("xml") || s.runsMaven();
            if (marker == null) {
                if (built) {
                    problems.add(s.where() + ": a code block of a built document must be marked: " + HOW);
                } else if (mavenish) {
                    problems.add(s.where() + ": " + (s.runsMaven() ? "a Maven command" : "an xml block")
                            + " that the docs test does not build must be marked: " + HOW);
                }
            } else if (marker.kind() != Kind.FRAGMENT && !built) {
                problems.add(s.where() + ": <!-- " + marker.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " --> in a document the docs test does not build (rapace.docs.built in docs-test/pom.xml)");
            } else if (marker.kind() == Kind.FILE) {
                String path = marker.argument();
                if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
                    problems.add(s.where() + ": file path '" + path + "' must be relative, without '..' or spaces");
                } else if (!files.add(path)) {
                    problems.add(s.where() + ": " + path + " is shown twice as a whole file");
                }
            } else if (marker.kind() == Kind.RUN) {
                ran = true;
                for (String line : s.text().split("\n")) {
                    if (!line.isBlank() && !line.startsWith("mvn ")) {
                        problems.add(s.where() + ": a run block holds only mvn commands, one a line, but has: "
                                + line);
                    }
                }
            } else if (marker.kind() == Kind.OUTPUT && !ran) {
                problems.add(s.where() + ": an output block must come after a run block");
            }
            if (s.info().equals("xml")) {
                problems.addAll(pomProblems(s, version));
            }
        }
        if (built && !files.contains("pom.xml")) {
            problems.add(docOf(snippets) + ": a built document must show its pom.xml whole: <!-- file: pom.xml -->");
        }
        if (built && !ran) {
            problems.add(docOf(snippets) + ": a built document must say how to build it: <!-- run --> before an "
                    + "mvn command");
        }
        return problems;
    }

    private static String docOf(List<Snippet> snippets) {
        return snippets.isEmpty() ? "(no code blocks)" : snippets.get(0).doc();
    }

    /** An xml snippet may use only properties it defines, and names only real rapace coordinates. */
    static List<String> pomProblems(Snippet s, String version) {
        List<String> problems = new ArrayList<>();
        String xml = s.text();
        Matcher use = PROPERTY_USE.matcher(xml);
        while (use.find()) {
            String name = use.group(1);
            if (!BUILT_IN.contains(name) && !xml.contains("<" + name + ">")) {
                problems.add(s.where() + ": ${" + name + "} is not defined in the snippet; pasted into a new "
                        + "project it would stay unresolved");
            }
        }
        Matcher element = RAPACE_ELEMENT.matcher(xml);
        while (element.find()) {
            String artifactId = element.group(1);
            if (!ARTIFACTS.contains(artifactId)) {
                problems.add(s.where() + ": io.rapace:" + artifactId + " is not a rapace artifact; they are "
                        + ARTIFACTS.stream().sorted().toList());
            }
            String given = element.group(2);
            // an undefined property was reported above
            if (given != null && !PROPERTY_USE.matcher(resolve(given, xml)).matches()) {
                if (!resolve(given, xml).equals(version)) {
                    problems.add(s.where() + ": io.rapace:" + artifactId + " has version " + given
                            + ", but the version being built is " + version);
                }
            }
        }
        return problems;
    }

    /** {@code ${name}} replaced by the value the snippet gives the property, if it gives one. */
    private static String resolve(String value, String xml) {
        Matcher m = PROPERTY_USE.matcher(value);
        if (!m.matches()) {
            return value;
        }
        Matcher defined = Pattern.compile("<" + Pattern.quote(m.group(1)) + ">([^<]*)</").matcher(xml);
        return defined.find() ? defined.group(1) : value;
    }
}
