package io.rapace.plugin;

import static io.rapace.plugin.HostContext.LOG;

import io.rapace.plugin.stat.StatFileLayout;
import io.rapace.plugin.stat.StatFileWriter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes a host's per-plugin figures outside the JVM: the rows of the stat file {@code rapace-stat-<hostpid>}
 * (refreshed on the host's supervisor thread every stat interval) and, while a JFR recording asks for them, one
 * periodic {@code io.rapace.plugin.PluginStats} event per plugin. {@link #close()} stops both and deletes the file.
 */
final class StatPublisher implements AutoCloseable {
    private final Supplier<List<PluginSupervisor>> plugins;
    /** Null when the host publishes no stat file. */
    private final StatFileWriter statFile;
    private final ScheduledFuture<?> statTask;
    private final Runnable statsHook = this::emitStatsEvents;

    /**
     * Creates the stat file in {@code directory} (none when null), starts refreshing it every {@code interval} on
     * {@code scheduler}, and registers the JFR periodic event.
     */
    StatPublisher(Path directory, Duration interval, ScheduledExecutorService scheduler,
                  Supplier<List<PluginSupervisor>> plugins) throws IOException {
        this.plugins = plugins;
        if (directory != null) {
            this.statFile = StatFileWriter.create(directory, ProcessHandle.current().pid(), StatFileLayout.MAX_ROWS);
            this.statTask = scheduler.scheduleWithFixedDelay(this::publishStats, 0, interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            this.statFile = null;
            this.statTask = null;
        }
        jdk.jfr.FlightRecorder.addPeriodicEvent(PluginStatsEvent.class, statsHook);
    }

    /** The stat file, if there is one. */
    Optional<Path> file() {
        return statFile == null ? Optional.empty() : Optional.of(statFile.file());
    }

    /** Frees the row of a plugin the host removed; call after the plugin is retired, so no refresh writes it again. */
    void remove(String pluginId) {
        if (statFile != null) {
            synchronized (statFile) { // publishStats writes under the same lock and skips retired plugins
                statFile.remove(pluginId);
            }
        }
    }

    /** Unregisters the JFR event, stops the refresh, and deletes the stat file. */
    @Override
    public void close() {
        jdk.jfr.FlightRecorder.removePeriodicEvent(statsHook);
        if (statTask != null) {
            statTask.cancel(false);
        }
        if (statFile != null) {
            try {
                statFile.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove the stat file: " + e.getMessage());
            }
        }
    }

    /** Emits one {@code PluginStats} JFR event per plugin, when a recording asks for them. */
    private void emitStatsEvents() {
        for (PluginSupervisor plugin : plugins.get()) {
            PluginStatsEvent event = new PluginStatsEvent();
            if (!event.isEnabled()) {
                return;
            }
            PluginMetrics.Snapshot m = plugin.metrics.snapshot();
            event.pluginId = plugin.id();
            event.state = m.state().displayName();
            event.pid = m.pid();
            event.calls = m.calls();
            event.errors = m.errors();
            event.rejected = plugin.rejectedCalls();
            event.bytesIn = m.bytesIn();
            event.bytesOut = m.bytesOut();
            event.p50 = m.p50Nanos();
            event.p99 = m.p99Nanos();
            event.restarts = m.restarts();
            event.cpuTime = plugin.cpuTimeNanos();
            event.residentBytes = plugin.residentBytes();
            event.commit();
        }
    }

    private void publishStats() {
        long now = System.currentTimeMillis();
        for (PluginSupervisor plugin : plugins.get()) {
            try {
                PluginProcess process = plugin.process;
                long cpu = process == null ? -1 : process.cpuTimeNanos();
                long rss = process == null ? -1 : process.residentBytes();
                synchronized (statFile) {
                    if (!plugin.retired) { // a removed plugin's row stays gone
                        statFile.update(plugin.metrics.snapshot().toStatRow(cpu, rss, now));
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "could not publish the stats of " + plugin.id() + ": " + e);
            }
        }
    }
}
