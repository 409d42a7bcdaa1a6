package io.rapace.plugin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to start a plugin: either a main class on a class path, run by the JVM the host runs on, or any command line.
 * The host appends its own arguments (the segment and socket paths) with {@link #commandLine(List)} at each start,
 * so one command serves every restart.
 */
public final class PluginCommand {
    private static final Pattern BINARY_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    /** Java's reserved words, which no part of a class name may be. */
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "false", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "null", "package", "private", "protected", "public", "return",
            "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
            "true", "try", "void", "volatile", "while", "_");

    private final List<String> prefix;

    private PluginCommand(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /**
     * Runs {@code mainClass} from {@code classPath} on the host's own JVM ({@code java.home}/bin/java, or failing that
     * the executable {@link ProcessHandle} reports for this process), with {@code jvmOptions} before the main class.
     *
     * @throws IllegalArgumentException if the class name is not a Java binary name or the class path is empty
     */
    public static PluginCommand java(String mainClass, List<Path> classPath, List<String> jvmOptions) {
        Objects.requireNonNull(mainClass, "mainClass");
        if (!isJavaClassName(mainClass)) {
            throw new IllegalArgumentException("main class \"" + mainClass + "\" is not a Java class name");
        }
        if (classPath.isEmpty()) {
            throw new IllegalArgumentException("class path of " + mainClass + " is empty");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        StringBuilder path = new StringBuilder();
        for (Path entry : classPath) {
            if (path.length() > 0) {
                path.append(File.pathSeparatorChar);
            }
            path.append(entry);
        }
        command.add(path.toString());
        command.add(mainClass);
        return new PluginCommand(command);
    }

    /**
     * Runs an arbitrary command line: the executable first, then its own arguments.
     *
     * @throws IllegalArgumentException if the command is empty
     */
    public static PluginCommand of(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("plugin command line is empty");
        }
        return new PluginCommand(command);
    }

    /** The command line with {@code extraArguments} appended, ready for {@link ProcessBuilder}. */
    public List<String> commandLine(List<String> extraArguments) {
        List<String> line = new ArrayList<>(prefix.size() + extraArguments.size());
        line.addAll(prefix);
        line.addAll(extraArguments);
        return List.copyOf(line);
    }

    /** Whether {@code name} is a Java binary class name such as {@code com.example.Main} or {@code a.B$C}. */
    static boolean isJavaClassName(String name) {
        if (!BINARY_NAME.matcher(name).matches()) {
            return false;
        }
        for (String part : name.split("\\.")) {
            if (KEYWORDS.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /** The {@code java} launcher of the running JVM. */
    static String javaExecutable() {
        String exe = File.separatorChar == '\\' ? "java.exe" : "java";
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse(fromHome.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginCommand && ((PluginCommand) o).prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    /** The command line without the host's arguments, joined by spaces (for logs). */
    @Override
    public String toString() {
        return String.join(" ", prefix);
    }
}
