package io.rapace.plugin;

import static io.rapace.testing.Campaigns.footprint;
import static io.rapace.testing.Campaigns.ms;
import static io.rapace.testing.Campaigns.percentile;
import static io.rapace.testing.Campaigns.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.testing.Campaigns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 through the plugin host ({@code docs/reliability.md}), at random moments: of a plugin with calls in flight
 * (a slow unary call, one that never answers, and one whose handler waits in a stream of the host's events, a nested
 * call), of a plugin while it is launched (the handshake), of one being started on demand by its first call, of one
 * being replaced (the old or the new process), and of a host process, whose plugin must then exit and whose stat file
 * the next host start removes. Every pending call fails (with PEER_DIED when it was running) within 1 s of the kill;
 * none hangs; no file or process is left.
 *
 * <p>{@code mvn verify} runs 5 cycles; {@code -Drapace.campaign.cycles=N} runs more. The figures print to stdout and
 * to {@code target/campaign/kill-plugin-host.txt}.
 */
class PluginKillCampaignProcessTest {
    private static final int CYCLES = Integer.getInteger("rapace.campaign.cycles", 5);
    private static final long SEED = Long.getLong("rapace.campaign.seed", 20261207L);
    private static final Duration HUNG = Duration.ofSeconds(10);
    private static final Duration GUARD = Duration.ofSeconds(60);
    /** Threads and heap are compared from after this cycle (the first ones warm everything up) to the end. */
    private static final int BASELINE_CYCLE = Math.min(9, CYCLES / 2);

    enum Moment { IN_CALLS, LAUNCH, ON_DEMAND, REPLACE, HOST }

    private final HostsUnderTest hosts = new HostsUnderTest();
    private final List<Long> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> outcomes = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, Long> slowest = Collections.synchronizedMap(new TreeMap<>());
    private int hung;

    @TempDir
    Path stats;

    @AfterEach
    void nothingLeft() {
        hosts.closeAndCheck();
    }

    @Test
    void everyPendingCallFailsSoonAfterAKillAndNothingIsLeft() throws Exception {
        Random random = new Random(SEED);
        Map<Moment, Integer> cycles = new TreeMap<>();
        long[] baseline = null;
        PluginHost host = hosts.build(hosts.builder(stats).restartPolicy(RestartPolicy.never()));
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Moment moment = CYCLES <= Moment.values().length ? Moment.values()[cycle]
                    : Moment.values()[random.nextInt(Moment.values().length)];
            cycles.merge(moment, 1, Integer::sum);
            String id = "k" + cycle;
            switch (moment) {
                case IN_CALLS -> inCalls(host, id, random);
                case LAUNCH -> launch(host, id, random);
                case ON_DEMAND -> onDemand(host, id, random);
                case REPLACE -> replace(host, id, random);
                case HOST -> killHost(random);
                default -> throw new IllegalStateException(moment.toString());
            }
            retire(host, id); // what the kill left: Crashed, or Running when a replacement won the race
            if (cycle == BASELINE_CYCLE) {
                baseline = footprint();
            }
        }
        long[] end = footprint(); // the host still open, its plugins all removed
        hosts.closeAndCheck();
        List<String> left;
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            left = files.map(p -> p.getFileName().toString()).filter(n -> hosts.pids.stream()
                    .anyMatch(pid -> n.startsWith("rapace-" + pid + "-"))
                    || n.startsWith("rapace-" + ProcessHandle.current().pid() + "-")).toList();
        }
        List<Long> sorted = new ArrayList<>(failures);
        Collections.sort(sorted);
        String text = "kill -9 campaign (plugin host), " + CYCLES + " cycles, seed " + SEED + ", by moment " + cycles
                + "\n  pending calls failed: " + sorted.size() + "; kill to failure p50 " + ms(percentile(sorted, 50))
                + ", p99 " + ms(percentile(sorted, 99)) + ", max " + ms(percentile(sorted, 100))
                + "\n  slowest by kind: " + slowest.entrySet().stream().map(e -> e.getKey() + " " + ms(e.getValue()))
                        .toList()
                + "\n  outcomes: " + outcomes
                + "\n  hung calls: " + hung + "; files left in /dev/shm: " + left.size()
                + "\n  threads after cycle " + (BASELINE_CYCLE + 1) + " / at the end: " + baseline[0] + " / " + end[0]
                + "\n  heap after cycle " + (BASELINE_CYCLE + 1) + " / at the end (after GC): " + baseline[1] / 1024
                + " KiB / " + end[1] / 1024 + " KiB\n";
        Campaigns.report("kill-plugin-host.txt", text);
        assertEquals(0, hung, "hung calls");
        assertTrue(sorted.isEmpty() || percentile(sorted, 100) < TimeUnit.SECONDS.toNanos(1),
                "a pending call failed more than 1 s after the kill: " + ms(percentile(sorted, 100)));
        assertEquals(List.of(), left, "files left in /dev/shm");
        assertTrue(end[0] <= baseline[0] + 4, "threads grew from " + baseline[0] + " to " + end[0]);
        assertTrue(end[1] <= baseline[1] + 64L * 1024 * 1024, "heap grew from " + baseline[1] + " to " + end[1]);
        assertTrue(outcomes.keySet().stream().noneMatch(k -> k.startsWith("unexpected")), outcomes.toString());
    }

    private void inCalls(PluginHost host, String id, Random random) throws Exception {
        PluginHost.PluginHandle plugin = host.launch(spec(id, "v1"));
        List<Pending> pending = new ArrayList<>();
        pending.add(call(plugin, "slow", "60000", true));
        pending.add(call(plugin, "hang", "", true));
        pending.add(call(plugin, "events", "", true)); // its handler waits in the host's event stream: nested
        long until = System.nanoTime() + GUARD.toNanos();
        while (plugin.session().map(RpcSession::callsInFlight).orElse(0) < pending.size() && System.nanoTime() < until) {
            Thread.sleep(1); // the calls are in flight (their handlers run, or wait in the host's events)
        }
        Thread.sleep(random.nextInt(100));
        long killed = kill(plugin.pid());
        settle(pending, killed);
    }

    private void launch(PluginHost host, String id, Random random) throws Exception {
        CompletableFuture<PluginHost.PluginHandle> launch = CompletableFuture.supplyAsync(() -> {
            try {
                return host.launch(spec(id, "v1"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long pid = awaitPid(host, id);
        Thread.sleep(random.nextInt(400)); // somewhere in the JVM's start, the connect, Hello or Initialize
        long killed = kill(pid);
        settle(List.of(new Pending("launch", launch, false, new long[1])), killed);
    }

    private void onDemand(PluginHost host, String id, Random random) throws Exception {
        PluginHost.PluginHandle plugin = host.register(spec(id, "v1"));
        Pending first = call(plugin, "echo", "x", false); // starts the plugin, then is answered by it
        long pid = awaitPid(host, id);
        Thread.sleep(random.nextInt(400));
        long killed = kill(pid);
        settle(List.of(first), killed);
    }

    private void replace(PluginHost host, String id, Random random) throws Exception {
        PluginHost.PluginHandle plugin = host.launch(spec(id, "v1"));
        long old = plugin.pid();
        Pending slow = call(plugin, "slow", "300", false);
        CompletableFuture<Void> replacing = CompletableFuture.runAsync(() -> {
            try {
                plugin.replace(spec(id, "v2"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long victim = old;
        if (random.nextBoolean()) { // the new process, once it is there
            long until = System.nanoTime() + GUARD.toNanos();
            while (plugin.pid() == old && !replacing.isDone() && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            victim = plugin.pid();
        }
        Thread.sleep(random.nextInt(300));
        long killed = kill(victim);
        settle(List.of(slow, new Pending("replace", replacing, false, new long[1])), killed);
    }

    private void killHost(Random random) throws Exception {
        Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TestHostMain.class.getName(), stats.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        hosts.pids.add(host.pid());
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String plugin = out.readLine();
        String stat = out.readLine();
        if (plugin == null || !plugin.startsWith("PLUGIN ") || stat == null) {
            outcomes.merge("unexpected: the host printed " + plugin, 1, Integer::sum);
            host.destroyForcibly();
            return;
        }
        long pluginPid = Long.parseLong(plugin.substring(7));
        hosts.pids.add(pluginPid);
        Thread.sleep(random.nextInt(200));
        long killed = System.nanoTime();
        host.destroyForcibly();
        host.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS);
        // the orphan has exited once the kernel shows it as a zombie or not at all (Campaigns.running)
        long until = killed + HUNG.toNanos();
        while (running(pluginPid) && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        if (running(pluginPid)) {
            hung++;
            ProcessHandle.of(pluginPid).ifPresent(ProcessHandle::destroyForcibly);
        } else {
            failed("orphan exit", System.nanoTime() - killed);
            outcomes.merge("host killed: its plugin exited", 1, Integer::sum);
        }
        // the next host start removes what the killed one left
        PluginHost next = PluginHost.builder().statDirectory(stats).shutdownHook(false).build();
        boolean survived = Files.exists(Path.of(stat.substring(5)));
        next.close();
        if (survived) {
            outcomes.merge("unexpected: the killed host's stat file survived the next start", 1, Integer::sum);
        }
    }

    private record Pending(String kind, CompletableFuture<?> call, boolean mustDie, long[] failedAt) {
    }

    private static Pending call(PluginHost.PluginHandle plugin, String operation, String data, boolean mustDie) {
        long[] failedAt = new long[1];
        PluginClient client = plugin.client(ch -> new PluginClient(ch, CallOptions.DEFAULT.withTimeout(
                Duration.ofSeconds(30))));
        CompletableFuture<Object> call = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                call.complete(client.process(new ProcessRequest(1, operation, data.getBytes(StandardCharsets.UTF_8))));
            } catch (Throwable t) {
                failedAt[0] = System.nanoTime();
                call.completeExceptionally(t);
            }
        }, "campaign " + operation);
        thread.setDaemon(true);
        thread.start();
        return new Pending(operation, call, mustDie, failedAt);
    }

    /** Waits for each pending call or operation; records how and when it ended. */
    private void settle(List<Pending> pending, long killed) throws InterruptedException {
        for (Pending p : pending) {
            try {
                p.call.get(HUNG.toSeconds(), TimeUnit.SECONDS);
                outcomes.merge((p.mustDie ? "unexpected: " : "") + p.kind + " ended normally", 1, Integer::sum);
            } catch (TimeoutException e) {
                hung++;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c
                        ? c.getCause() : e.getCause();
                if (cause instanceof RpcException r) {
                    if (p.mustDie && r.code() != ErrorCode.PEER_DIED) {
                        outcomes.merge("unexpected: " + p.kind + " " + r.code(), 1, Integer::sum);
                    } else {
                        outcomes.merge(p.kind + " " + r.code(), 1, Integer::sum);
                    }
                    if (p.failedAt[0] != 0) {
                        failed(p.kind, p.failedAt[0] - killed);
                    }
                } else {
                    // launch and replace say why in an exception of their own (IOException, IllegalStateException)
                    String what = cause.getClass().getSimpleName();
                    outcomes.merge((p.mustDie ? "unexpected: " : "") + p.kind + " " + what, 1, Integer::sum);
                }
            }
        }
    }

    private void failed(String kind, long nanos) {
        failures.add(nanos);
        slowest.merge(kind, nanos, Math::max);
    }

    private long awaitPid(PluginHost host, String id) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (System.nanoTime() < until) {
            long pid = host.plugin(id).map(PluginHost.PluginHandle::pid).orElse(0L);
            if (pid > 0) {
                hosts.pids.add(pid);
                return pid;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("plugin " + id + " never got a process");
    }

    private long kill(long pid) {
        hosts.pids.add(pid);
        long killed = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return killed;
    }

    /** Stops (if it still runs) and forgets the plugin; a start still under way is waited for. */
    private static void retire(PluginHost host, String id) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (host.plugin(id).isPresent()) {
            try {
                host.shutdown(id);
                host.remove(id);
            } catch (IllegalStateException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    private static PluginSpec spec(String id, String config) {
        return PluginSpec.sameClassPath(id, TestPlugin.class, config.getBytes(StandardCharsets.UTF_8));
    }
}
