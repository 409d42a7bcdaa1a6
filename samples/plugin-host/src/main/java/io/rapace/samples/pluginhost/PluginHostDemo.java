package io.rapace.samples.pluginhost;

import io.rapace.codec.Postcard;
import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginMetrics;
import io.rapace.plugin.PluginSpec;
import io.rapace.plugin.PluginState;
import io.rapace.plugin.RestartPolicy;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.RpcException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The seed's plugin-host example, run for real: a {@link PluginHost} starts {@link AnalyticsPlugin} and
 * {@link TransformPlugin} as processes, each with its own configuration, segment and session; sends them work, which
 * they do with nested calls to the host's logger and storage; lets analytics follow the host's events; crashes
 * transform and watches the restart policy bring it back as a new process; prints each plugin's metrics; and shuts
 * both down in order. The transcript follows the seed's "Expected output", with real pids, sizes and timings.
 *
 * <pre>
 * mvn -B -q -pl samples/plugin-host -am package -DskipTests &amp;&amp; \
 *     java -jar samples/plugin-host/target/plugin-host-demo.jar
 * </pre>
 *
 * <p>The plugins run on the demo's own class path ({@link PluginSpec#sameClassPath}). Nothing is left running or in
 * {@code /dev/shm} when it ends, even when it fails half-way: the host's {@code close()} stops what it started.
 */
public final class PluginHostDemo {
    /** A bound on every wait of the demo; a healthy run needs a fraction of it. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final Duration hold;
    private HostConsole console;

    PluginHostDemo(PrintStream out) {
        this(out, Duration.ZERO);
    }

    /** With a {@code hold}, the demo keeps both plugins running that long before shutting down (for the stat tool). */
    PluginHostDemo(PrintStream out, Duration hold) {
        this.out = out;
        this.hold = hold;
    }

    public static void main(String[] args) throws Exception {
        // The host library logs each state change at INFO, as the transcript already shows them; its warnings (a
        // crash among them) still go to standard error, one line each.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %3$s: %5$s%6$s%n");
        }
        Logger library = Logger.getLogger("io.rapace");
        library.setLevel(Level.WARNING);
        Duration hold = Duration.ZERO;
        if (args.length == 2 && args[0].equals("--hold")) {
            hold = Duration.ofSeconds(Long.parseLong(args[1]));
        } else if (args.length != 0) {
            System.err.println("usage: PluginHostDemo [--hold SECONDS]");
            System.exit(2);
        }
        new PluginHostDemo(System.out, hold).run();
        Reference.reachabilityFence(library); // java.util.logging forgets the level of an unreferenced logger
    }

    /** Runs the whole demonstration, printing its transcript; returns when the host and both plugins are gone. */
    void run() throws IOException, InterruptedException {
        out.println("=== Rapace Plugin Host Example ===");
        out.println();
        ServiceRegistry registry = ServiceRegistry.discover(PluginHostDemo.class.getClassLoader());
        int registryBytes = 0;
        for (ServiceDescriptor service : registry.services()) {
            registryBytes += Postcard.encode(ServiceDescriptor.CODEC, service).length;
        }
        out.println("Service registry: " + registryBytes + " bytes (" + registry.services().size()
                + " service descriptors with their types, postcard)");
        out.println();
        out.print(registry.describe());

        try (HostConsole host = HostConsole.install(out);
                PluginHost plugins = PluginHost.builder()
                        .restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2), 3,
                                Duration.ofMinutes(1)))
                        .listener(host)
                        .storageListener(host)
                        .build()) {
            console = host;
            run(plugins);
        }
        out.println("=== Done ===");
        out.flush();
    }

    private void run(PluginHost host) throws IOException, InterruptedException {
        console.line("");
        console.line("[Host] Plugin host started (pid " + ProcessHandle.current().pid() + "), stat file "
                + host.statFile().map(Path::toString).orElse("(none)"));

        PluginHandle analytics = load(host, "analytics", AnalyticsPlugin.class, "window=60s");
        awaitSubscriber(host);
        PluginHandle transform = load(host, "transform", TransformPlugin.class, "mode=uppercase");
        await(console.awaitLines("Host event: PluginLoaded(transform)", 1, WAIT), "analytics to hear of transform");

        console.line("");
        console.line("=== Processing ===");
        process(analytics, 1, "count", "login alice\nview /home\nlogout alice\n", PluginHostDemo::total);
        process(transform, 2, "transform", "hello plugins", PluginHostDemo::text);
        process(analytics, 3, "count", "login bob\n", PluginHostDemo::total);
        console.line("[Host] Publishing host event: ConfigUpdated(sampling_rate = 0.5)");
        host.events().publish(new HostEvent.ConfigUpdated("sampling_rate", "0.5"));
        await(console.awaitLines("Host event: ConfigUpdated", 1, WAIT), "analytics to hear of the update");

        console.line("");
        console.line("=== Crash and restart: transform ===");
        long oldPid = transform.pid();
        console.line("[Host] Plugin transform runs as pid " + oldPid + "; asking it to crash");
        try {
            ProcessResponse response = transform.plugin().process(new ProcessRequest(4, "crash", new byte[0]));
            throw new IllegalStateException("transform answered a crash request: " + response);
        } catch (RpcException e) {
            console.line("[Host] Plugin transform process failed: req_id=4, " + e.code() + ": " + e.getMessage());
        }
        await(console.awaitState("transform", PluginState.CRASHED, 1, WAIT), "transform to be marked Crashed");
        await(console.awaitState("transform", PluginState.RUNNING, 2, WAIT), "transform to be restarted");
        await(console.awaitLines("Host event: PluginLoaded(transform)", 2, WAIT), "analytics to hear of the restart");
        long newPid = transform.pid();
        console.line("[Host] Plugin transform restarted by its policy: pid " + oldPid + " -> " + newPid
                + " (restarts: " + transform.metrics().restarts() + ", old process alive: "
                + ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false) + ")");
        process(transform, 5, "transform", "after the restart", PluginHostDemo::text);

        console.line("");
        console.line("=== Metrics ===");
        for (PluginHandle plugin : host.plugins()) {
            console.line(metrics(plugin));
        }

        if (!hold.isZero()) {
            console.line("");
            console.line("[Host] Holding for " + hold.toSeconds() + " s: watch it with RapaceStat (pid "
                    + ProcessHandle.current().pid() + ")");
            long until = System.nanoTime() + hold.toNanos();
            long n = 100;
            while (System.nanoTime() < until) {
                for (PluginHandle plugin : host.plugins()) {
                    String operation = plugin.id().equals("transform") ? "transform" : "count";
                    plugin.plugin().process(new ProcessRequest(n++, operation,
                            "tick".getBytes(StandardCharsets.UTF_8)));
                }
                Thread.sleep(200);
            }
        }

        console.line("");
        console.line("=== Shutting down ===");
        for (PluginHandle plugin : host.plugins()) {
            console.line("[Host] Shutting down plugin: " + plugin.id());
            host.shutdown(plugin.id());
        }
        console.line("[Host] Closing the host: stat file removed, nothing left running");
    }

    /** Launches one plugin: a process, a segment and a session, then {@code initialize(config)}. */
    private PluginHandle load(PluginHost host, String id, Class<?> main, String config)
            throws IOException {
        console.line("");
        console.line("=== Loading plugin: " + id + " ===");
        console.line("[Host] Creating session for plugin: " + id);
        PluginHandle plugin = host.launch(PluginSpec.sameClassPath(id, main, config.getBytes(StandardCharsets.UTF_8)));
        List<ServiceDescriptor> served = plugin.session().orElseThrow().fetchRegistry(WAIT).services();
        for (ServiceDescriptor service : served) {
            console.line("[Host] Plugin " + id + " serves " + service.name() + " v" + service.version() + " ("
                    + service.methods().size() + " methods, introspected over its session)");
        }
        return plugin;
    }

    /** Waits until analytics' subscription to the host's events is open (it starts it from its initialize). */
    private void awaitSubscriber(PluginHost host) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (host.events().subscribers() == 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("analytics did not subscribe to the host's events within " + WAIT);
            }
            Thread.sleep(5);
        }
        console.line("[Host] Plugin analytics subscribed to host events (" + host.events().subscribers()
                + " subscriber)");
    }

    private void process(PluginHandle handle, long requestId, String operation, String data,
            Function<byte[], String> result) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        console.line("[Host] Sending process request to " + handle.id() + ": req_id=" + requestId + ", operation="
                + operation + ", " + bytes.length + " bytes");
        Plugin plugin = handle.plugin();
        ProcessResponse response = plugin.process(new ProcessRequest(requestId, operation, bytes));
        console.line("[Host] Plugin " + handle.id() + " process response: req_id=" + response.requestId()
                + ", success=" + response.success() + ", " + response.result().length + " bytes ("
                + result.apply(response.result()) + ")");
    }

    private static String total(byte[] result) {
        return "total " + ByteBuffer.wrap(result).getLong();
    }

    private static String text(byte[] result) {
        return "\"" + new String(result, StandardCharsets.UTF_8) + "\"";
    }

    private static String metrics(PluginHandle plugin) {
        PluginMetrics.Snapshot m = plugin.metrics();
        return "[Host] " + plugin.id() + ": " + m.state().displayName() + ", pid " + plugin.pid() + ", " + m.calls()
                + " calls, " + m.errors() + " errors, " + bytes(m.bytesIn()) + " in, " + bytes(m.bytesOut())
                + " out, p50 " + duration(m.p50Nanos()) + ", p99 " + duration(m.p99Nanos()) + ", " + m.restarts()
                + " restarts, CPU " + duration(plugin.cpuTimeNanos()) + ", RSS " + bytes(plugin.residentBytes());
    }

    static String bytes(long n) {
        if (n < 0) {
            return "-";
        } else if (n < 1024) {
            return n + " B";
        } else if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    static String duration(long nanos) {
        if (nanos < 0) {
            return "-";
        } else if (nanos < 1_000) {
            return nanos + " ns";
        } else if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        } else if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static void await(boolean happened, String what) {
        if (!happened) {
            throw new IllegalStateException("gave up waiting for " + what + " after " + WAIT.toSeconds() + " s");
        }
    }
}
