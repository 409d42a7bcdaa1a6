package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.api.PluginClient;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.testing.Campaigns;
import io.rapace.testing.CountedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN 5 against a real attacker ({@code docs/reliability.md}): a {@link HostilePlugin} writes random bytes over
 * every region of its segment at full speed while this host calls it from three threads, and a healthy
 * {@link TestPlugin} beside it serves the same host from a fourth. Each round launches the hostile plugin with a
 * recorded seed for {@code rapace.campaign.roundMillis} (1 s) and removes it; the host restarts it whenever the damage
 * ends its session. On each memory backend: no exception but {@link RpcException} reaches a caller, no call outlives
 * its deadline by more than 1 s, the healthy plugin's callers see no error, threads and heap stay flat, and nothing
 * (file or process) is left. The figures of a run print to stdout and to {@code target/campaign/hostile-*.txt}.
 *
 * <p>{@code mvn verify} runs 2 rounds per backend; {@code -Drapace.campaign.rounds=200} runs the campaign.
 */
class HostilePluginCampaignProcessTest {
    private static final int ROUNDS = Integer.getInteger("rapace.campaign.rounds", 2);
    private static final long SEED = Long.getLong("rapace.campaign.seed", 20261207L);
    private static final Duration ROUND = Duration.ofMillis(Long.getLong("rapace.campaign.roundMillis", 1000));
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Duration OVERRUN = Duration.ofSeconds(1);
    private static final int HOSTILE_CALLERS = 3;

    private final HostsUnderTest hosts = new HostsUnderTest();

    @AfterEach
    void nothingLeft() {
        hosts.closeAndCheck();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "chronicle"})
    void aHostilePluginNeverHurtsItsHostNorTheHealthyPluginBesideIt(String backend, @TempDir Path stats)
            throws Exception {
        String previous = System.getProperty("rapace.memory");
        System.setProperty("rapace.memory", backend);
        Figures figures = new Figures(backend);
        // the attack's warnings are counted by kind, not printed by the thousand
        CountedLogs logs = new CountedLogs(HostilePluginCampaignProcessTest::warningKind);
        try {
            PluginHost host = hosts.build(hosts.builder(stats).listener((id, from, to, pid, detail) -> {
                if (pid > 0) {
                    hosts.pids.add(pid);
                }
                if (id.equals("hostile") && to == PluginState.CRASHED) {
                    figures.crash(detail);
                }
            }).restartPolicy(RestartPolicy.onFailure(Duration.ofMillis(20), 1, Duration.ofMillis(20), 1_000_000,
                    Duration.ofSeconds(1))));
            PluginHost.PluginHandle healthy = host.launch(PluginSpec.sameClassPath("healthy", TestPlugin.class,
                    "ok".getBytes(StandardCharsets.UTF_8)));
            assertEquals(backend, healthy.session().orElseThrow().backend(), "the backend asked for is not in use");
            Baseline baseline = null;
            for (int round = 0; round < ROUNDS; round++) {
                long seed = SEED + round;
                figures.seeds.add(seed);
                runRound(host, healthy, seed, figures);
                if (round == 0) {
                    baseline = Baseline.now();
                }
            }
            Baseline end = Baseline.now();
            figures.report(baseline, end, logs.counts());
            assertEquals(List.of(), figures.unexpected, "exceptions other than RpcException reached callers");
            assertEquals(0, figures.overruns.get(), "calls outlived their deadline by more than " + OVERRUN);
            assertEquals(0, figures.healthyErrors.get(), "the healthy plugin's callers saw errors: "
                    + figures.healthyFirstErrors);
            assertTrue(figures.healthyCalls.get() > 0, "the healthy plugin was never called");
            assertTrue(end.threads <= baseline.threads + 4, "threads grew from " + baseline.threads + " to "
                    + end.threads);
            assertTrue(end.heapBytes <= baseline.heapBytes + 64L * 1024 * 1024, "heap grew from "
                    + baseline.heapBytes + " to " + end.heapBytes);
        } finally {
            logs.close();
            if (previous == null) {
                System.clearProperty("rapace.memory");
            } else {
                System.setProperty("rapace.memory", previous);
            }
        }
        hosts.closeAndCheck();
        try (Stream<Path> left = Files.list(Path.of("/dev/shm"))) {
            String mine = "rapace-" + ProcessHandle.current().pid() + "-";
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)).toList());
        }
    }

    private static void runRound(PluginHost host, PluginHost.PluginHandle healthy, long seed, Figures figures)
            throws Exception {
        PluginHost.PluginHandle hostile;
        try {
            hostile = host.launch(PluginSpec.sameClassPath("hostile", HostilePlugin.class,
                    Long.toString(seed).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            figures.failedStarts.incrementAndGet(); // the attack began before the start finished: the host said so
            hostile = host.plugin("hostile").orElse(null);
        }
        long end = System.nanoTime() + ROUND.toNanos();
        List<Thread> callers = new ArrayList<>();
        PluginHost.PluginHandle target = hostile;
        for (int t = 0; t < HOSTILE_CALLERS && target != null; t++) {
            Random random = new Random(seed * 31 + t);
            callers.add(start("hostile-caller-" + t, () -> {
                PluginClient client = target.client(ch -> new PluginClient(ch, CallOptions.DEFAULT.withTimeout(DEADLINE)));
                while (System.nanoTime() < end) {
                    byte[] data = new byte[random.nextInt(6000)];
                    random.nextBytes(data);
                    long start = System.nanoTime();
                    try {
                        client.process(new ProcessRequest(start, "echo", data));
                        figures.hostileOk.incrementAndGet();
                    } catch (RpcException e) {
                        figures.failed(e.code());
                        pause();
                    } catch (Throwable e) {
                        figures.unexpected.add(e.toString());
                    }
                    if (System.nanoTime() - start > DEADLINE.plus(OVERRUN).toNanos()) {
                        figures.overruns.incrementAndGet();
                    }
                }
            }));
        }
        callers.add(start("healthy-caller", () -> {
            PluginClient client = healthy.client(ch -> new PluginClient(ch, CallOptions.DEFAULT.withTimeout(
                    Duration.ofSeconds(5))));
            Random random = new Random(seed);
            while (System.nanoTime() < end) {
                byte[] data = new byte[random.nextInt(6000)];
                Arrays.fill(data, (byte) 'h');
                try {
                    ProcessResponse response = client.process(new ProcessRequest(1, "echo", data));
                    String expected = "ok:" + new String(data, StandardCharsets.UTF_8);
                    if (!expected.equals(new String(response.result(), StandardCharsets.UTF_8))) {
                        figures.healthyError("a wrong answer of " + response.result().length + " bytes");
                    }
                    figures.healthyCalls.incrementAndGet();
                } catch (Throwable e) {
                    figures.healthyError(e.toString());
                }
            }
        }));
        for (Thread caller : callers) {
            caller.join();
        }
        retire(host, "hostile");
    }

    /** Stops and forgets the plugin, whatever state the attack left it in (a restart may be under way). */
    private static void retire(PluginHost host, String id) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            if (host.plugin(id).isEmpty()) {
                return;
            }
            try {
                host.shutdown(id);
                host.remove(id);
                return;
            } catch (IllegalStateException e) {
                if (attempt > 500) {
                    throw e;
                }
                Thread.sleep(10); // starting again: shut down the new incarnation once it is up
            }
        }
    }

    /** A warning's kind: its words up to the first detail (a number, a colon or a parenthesis). */
    private static String warningKind(String message) {
        String kind = message.replaceAll("[0-9:(].*", "").trim();
        return kind.isEmpty() ? "(other)" : kind;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Baseline(long threads, long heapBytes) {
        static Baseline now() throws InterruptedException {
            long[] footprint = Campaigns.footprint();
            return new Baseline(footprint[0], footprint[1]);
        }
    }

    /** What a campaign counted. */
    private static final class Figures {
        final String backend;
        final List<Long> seeds = new ArrayList<>();
        final AtomicLong hostileOk = new AtomicLong();
        final Map<ErrorCode, AtomicLong> hostileFailed = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final AtomicLong overruns = new AtomicLong();
        final AtomicLong healthyCalls = new AtomicLong();
        final AtomicLong healthyErrors = new AtomicLong();
        final List<String> healthyFirstErrors = new CopyOnWriteArrayList<>();
        final AtomicLong failedStarts = new AtomicLong();
        final Map<String, AtomicLong> crashes = new ConcurrentHashMap<>();

        Figures(String backend) {
            this.backend = backend;
        }

        void failed(ErrorCode code) {
            hostileFailed.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }

        void healthyError(String what) {
            healthyErrors.incrementAndGet();
            if (healthyFirstErrors.size() < 5) {
                healthyFirstErrors.add(what);
            }
        }

        /** A crash's detail, up to its first number: the kinds of reason, not each position. */
        void crash(String detail) {
            String kind = detail == null ? "(none)" : detail.replaceAll("[0-9].*", "").trim();
            crashes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        void report(Baseline start, Baseline end, Map<String, Long> warnings) throws IOException {
            Map<ErrorCode, Long> failed = new EnumMap<>(ErrorCode.class);
            hostileFailed.forEach((k, v) -> failed.put(k, v.get()));
            String text = "hostile plugin campaign, backend " + backend + ", " + seeds.size() + " rounds of "
                    + ROUND.toMillis() + " ms, seeds " + seeds.get(0) + ".." + seeds.get(seeds.size() - 1) + "\n"
                    + "  calls to the hostile plugin: " + hostileOk.get() + " answered, failed by code " + failed + "\n"
                    + "  exceptions other than RpcException reaching callers: " + unexpected.size() + "\n"
                    + "  calls past their deadline by more than " + OVERRUN.toMillis() + " ms: " + overruns.get() + "\n"
                    + "  healthy plugin: " + healthyCalls.get() + " calls, " + healthyErrors.get() + " errors\n"
                    + "  hostile sessions ended by damage (host's reason, by kind): " + crashes + "\n"
                    + "  starts that failed under attack: " + failedStarts.get() + "\n"
                    + "  warnings by kind (invalid frames: one per kind per session): " + warnings + "\n"
                    + "  threads after round 1 / at the end: " + start.threads + " / " + end.threads + "\n"
                    + "  heap after round 1 / at the end (after GC): " + start.heapBytes / 1024 + " KiB / "
                    + end.heapBytes / 1024 + " KiB\n";
            Campaigns.report("hostile-" + backend + ".txt", text);
        }
    }
}
