package io.rapace.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running plugin process: started from a {@link PluginCommand}, its output logged, its resources measurable, and
 * ended with {@link #terminate(Duration)}.
 *
 * <p><b>Output.</b> stdout and stderr are each read to the end on a daemon thread and logged through
 * {@link System#getLogger} as {@code rapace.plugin.<pluginId>}, every line prefixed with {@code [<pluginId>] }:
 * stdout at {@code INFO}, stderr at {@code WARNING} (where a JVM's crash report and uncaught stack traces go). The
 * threads read even when nothing is logged, so a chatty plugin never blocks on a full pipe.
 *
 * <p><b>Stdin</b> stays a pipe that the host holds open and never writes to. The plugin may read it: end of file means
 * the host is gone, even after a SIGKILL of the host, with no polling of the parent process ({@code docs/segment-format.md}, "Doorbell and death"). An
 * inherited stdin would tie the plugin to the host's terminal; a closed one would throw that signal away.
 * {@link #terminate} closes it first, so a plugin that watches it can already start to leave.
 *
 * <p>Thread-safe.
 */
public final class PluginProcess {
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

    private final String pluginId;
    private final List<String> commandLine;
    private final Process process;
    private final OutputDrain stdout;
    private final OutputDrain stderr;
    private final CompletableFuture<Integer> onExit;

    private PluginProcess(String pluginId, List<String> commandLine, Process process, Logger logger) {
        this.pluginId = pluginId;
        this.commandLine = commandLine;
        this.process = process;
        String tag = "[" + pluginId + "] ";
        String thread = "rapace-plugin-" + pluginId + "-" + process.pid();
        this.stdout = OutputDrain.start(process.getInputStream(), logger, Level.INFO, tag, thread + "-stdout");
        this.stderr = OutputDrain.start(process.getErrorStream(), logger, Level.WARNING, tag, thread + "-stderr");
        this.onExit = process.onExit().thenApply(Process::exitValue);
    }

    /**
     * Starts the plugin: {@code command} with {@code extraArguments} appended, in the host's working directory and
     * environment.
     *
     * @throws IllegalArgumentException if {@code pluginId} is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -)
     * @throws IOException if the process cannot be started; the message names the plugin and the program
     */
    public static PluginProcess start(String pluginId, PluginCommand command, List<String> extraArguments)
            throws IOException {
        return start(pluginId, command, extraArguments, java.util.Map.of());
    }

    /** As {@link #start(String, PluginCommand, List)}, with {@code environment} added to the process's environment. */
    public static PluginProcess start(String pluginId, PluginCommand command, List<String> extraArguments,
            java.util.Map<String, String> environment) throws IOException {
        PluginId.check(pluginId);
        List<String> line = command.commandLine(extraArguments);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            // the JDK's own message names the program and the reason ("Cannot run program "x": error=2, No such
            // file or directory"); the full command line is logged, not repeated in the sentence
            System.getLogger(loggerName(pluginId)).log(Level.DEBUG, "could not start " + String.join(" ", line));
            throw new IOException("cannot start plugin " + pluginId + ": " + e.getMessage().strip(), e);
        }
        return new PluginProcess(pluginId, line, process, System.getLogger(loggerName(pluginId)));
    }

    /** The name of the logger a plugin's output goes to: {@code rapace.plugin.<pluginId>}. */
    public static String loggerName(String pluginId) {
        return "rapace.plugin." + pluginId;
    }

    public String pluginId() {
        return pluginId;
    }

    /** The full command line the process was started with. */
    public List<String> commandLine() {
        return commandLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Completes with the exit code when the process has ended (at once for a child: the JDK waits on it, it does not
     * poll). A process ended by a signal reports 128 + the signal number (143 for SIGTERM, 137 for SIGKILL).
     */
    public CompletableFuture<Integer> onExit() {
        return onExit.copy();
    }

    /**
     * Waits until both output streams have reached their end and every line has been logged. Returns false on
     * timeout, which happens when a process the plugin started still holds the pipes.
     */
    public boolean awaitOutputDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return stdout.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && stderr.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** User plus system CPU time the process has used, in nanoseconds; -1 when it has ended or is unknown. */
    public long cpuTimeNanos() {
        // Checked first: once the process is reaped its pid may belong to someone else.
        return process.isAlive() ? ProcStats.cpuTimeNanos(process.pid()) : -1;
    }

    /** Resident memory of the process in bytes; -1 when it has ended or off Linux. */
    public long residentBytes() {
        return process.isAlive() ? ProcStats.residentBytes(process.pid()) : -1;
    }

    /**
     * Ends the process and returns its exit code: closes its stdin, sends SIGTERM ({@link Process#destroy()}), waits
     * up to {@code grace}, then sends SIGKILL to it and to every process it started that is still there (a plugin
     * started through a shell script is killed whole), and waits for the exit. Returns at once with the code if the
     * process had already ended. Waits briefly for the last output to be logged.
     */
    public int terminate(Duration grace) throws InterruptedException {
        closeStdin();
        if (process.isAlive()) {
            // Taken before any signal: once the parent is gone its children are re-parented and no longer found.
            List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
            process.destroy();
            if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                descendants.addAll(process.descendants().toList());
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor();
            }
        }
        awaitOutputDrained(DRAIN_AFTER_EXIT);
        return process.exitValue();
    }

    private void closeStdin() {
        try {
            OutputStream in = process.getOutputStream();
            in.close();
        } catch (IOException e) {
            // Already closed, or the process is gone: either way nothing is left to close.
        }
    }

    @Override
    public String toString() {
        return "plugin " + pluginId + " (pid " + process.pid() + ")";
    }
}
