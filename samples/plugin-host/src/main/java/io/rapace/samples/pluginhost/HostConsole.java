package io.rapace.samples.pluginhost;

import io.rapace.plugin.PluginListener;
import io.rapace.plugin.PluginState;
import io.rapace.plugin.StorageListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The host's side of the transcript, in the seed's words: state changes (a {@link PluginListener}), storage calls
 * (a {@link StorageListener}), and the plugins' log lines, which {@code PluginHost} sends to the
 * {@code System.Logger} {@code rapace.plugin.<id>} and this console takes from java.util.logging (the JDK's
 * default {@code System.Logger} backend). Lines from several threads print whole and in the order they happen; the
 * demo waits on them ({@link #awaitLines}, {@link #awaitState}) so that its transcript reads in order.
 */
final class HostConsole extends Handler implements PluginListener, StorageListener, AutoCloseable {
    /** The parent of every plugin's logger; held here because java.util.logging forgets unreferenced loggers. */
    private final Logger pluginLogs = Logger.getLogger("rapace.plugin");
    private final PrintStream out;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, List<PluginState>> states = new HashMap<>();
    private final Map<String, Long> lastPids = new HashMap<>();

    private HostConsole(PrintStream out) {
        this.out = out;
    }

    /** A console printing to {@code out}, receiving the plugins' log lines until {@link #close()}. */
    static HostConsole install(PrintStream out) {
        HostConsole console = new HostConsole(out);
        console.pluginLogs.setLevel(Level.ALL);
        console.pluginLogs.setUseParentHandlers(false);
        console.pluginLogs.addHandler(console);
        return console;
    }

    /** Prints one line of the transcript. */
    synchronized void line(String text) {
        out.println(text);
        out.flush();
        lines.add(text);
        notifyAll();
    }

    // ---------------------------------------------------------------- plugin states

    @Override
    public void stateChanged(String pluginId, PluginState from, PluginState to, long pid, String detail) {
        String process;
        synchronized (this) {
            boolean ended = to == PluginState.CRASHED || to == PluginState.STOPPED;
            if (pid > 0) {
                lastPids.put(pluginId, pid);
                process = "pid " + pid + (ended ? ", exited" : "");
            } else {
                Long last = lastPids.get(pluginId);
                process = last == null ? "no process" : "pid " + last + ", exited";
            }
            states.computeIfAbsent(pluginId, id -> new ArrayList<>()).add(to);
        }
        if (to == PluginState.INITIALIZING) {
            line("[Host] Initializing plugin: " + pluginId);
        }
        line("[Host] " + pluginId + ": " + (from == null ? "" : from.displayName() + " -> ") + to.displayName()
                + " (" + process + ")" + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** Waits until plugin {@code pluginId} has entered {@code state} {@code times} times in all. */
    synchronized boolean awaitState(String pluginId, PluginState state, int times, Duration timeout)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (states.getOrDefault(pluginId, List.of()).stream().filter(s -> s == state).count() < times) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    // ---------------------------------------------------------------- storage

    @Override
    public void read(String pluginId, String key, Optional<byte[]> value) {
        line("[Host/Storage] Plugin " + pluginId + " GET " + key + ": "
                + value.map(v -> "Some(" + v.length + " bytes)").orElse("None"));
    }

    @Override
    public void written(String pluginId, String key, byte[] value) {
        line("[Host/Storage] Plugin " + pluginId + " SET " + key + ": " + value.length + " bytes");
    }

    // ---------------------------------------------------------------- plugin log lines

    @Override
    public void publish(LogRecord record) {
        String name = record.getLoggerName();
        String message = record.getMessage();
        if (name == null || !name.startsWith("rapace.plugin.") || message == null) {
            return;
        }
        String pluginId = name.substring("rapace.plugin.".length());
        String tag = "[" + pluginId + "] ";
        if (message.startsWith(tag)) {
            message = message.substring(tag.length());
        }
        line("[Host/Logger] [" + pluginId + "] [" + levelName(record.getLevel()) + "] " + message);
    }

    /** The plugin's {@code LogLevel}, back from the java.util.logging level {@code System.Logger} mapped it to. */
    private static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "Error";
        } else if (value >= Level.WARNING.intValue()) {
            return "Warn";
        } else if (value >= Level.INFO.intValue()) {
            return "Info";
        } else if (value >= Level.FINE.intValue()) {
            return "Debug";
        }
        return "Trace";
    }

    /** Waits until {@code times} lines of the transcript so far contain {@code text}. */
    synchronized boolean awaitLines(String text, int times, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (lines.stream().filter(l -> l.contains(text)).count() < times) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** Gives the plugins' log lines back to java.util.logging's own handlers. */
    @Override
    public void close() {
        pluginLogs.removeHandler(this);
        pluginLogs.setUseParentHandlers(true);
        pluginLogs.setLevel(null);
    }
}
