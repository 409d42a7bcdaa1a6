package io.rapace.rpc;

import static io.rapace.testing.Campaigns.footprint;
import static io.rapace.testing.Campaigns.ms;
import static io.rapace.testing.Campaigns.percentile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codecs;
import io.rapace.codec.Unit;
import io.rapace.config.SessionConfig;
import io.rapace.shm.MemoryBackendTest;
import io.rapace.shm.ShmFiles;
import io.rapace.testing.Campaigns;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the peer at random moments ({@code docs/reliability.md}): each cycle starts an {@link RpcPeerMain} child
 * on one of the two memory backends (alternately), puts calls of one kind in flight (unary, each kind of stream, a
 * nested call the peer makes back into this side, or all of them at once), or kills it during the handshake or while
 * it acknowledges Shutdown, at a random moment, with SIGKILL. Every pending call must fail with PEER_DIED; the time
 * from the kill to each failure is recorded; a call still pending 5 s after the kill is hung. After every cycle the
 * child is gone and nothing of it or of this process is left in {@code /dev/shm}; threads and heap stay flat.
 *
 * <p>{@code mvn verify} runs 8 cycles; {@code -Drapace.campaign.cycles=1000} runs the campaign. Its figures print to
 * stdout and to {@code target/campaign/kill-session.txt}.
 */
class KillCampaignProcessTest {
    private static final int CYCLES = Integer.getInteger("rapace.campaign.cycles", 8);
    private static final long SEED = Long.getLong("rapace.campaign.seed", 20261207L);
    private static final Duration HUNG = Duration.ofSeconds(5);
    /** Threads and heap are compared from after this cycle (the first ones warm everything up) to the end. */
    private static final int BASELINE_CYCLE = Math.min(9, CYCLES / 2);
    private static final Duration GUARD = Duration.ofSeconds(60);

    /** What is in flight when the kill comes. */
    enum Moment { UNARY, SERVER_STREAM, CLIENT_STREAM, BIDI_STREAM, NESTED, ALL_KINDS, HANDSHAKE, SHUTDOWN }

    private final List<Long> childPids = new CopyOnWriteArrayList<>();

    @AfterAll
    static void restoreBackend() {
        MemoryBackendTest.restoreDefault();
    }

    @Test
    void everyPendingCallFailsWithPeerDiedSoonAfterAKillAndNothingIsLeft() throws Exception {
        Random random = new Random(SEED);
        List<Long> failureNanos = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> wrongOutcomes = new TreeMap<>();
        Map<Moment, Integer> cycles = new TreeMap<>();
        int hung = 0;
        int leftFiles = 0;
        int leftProcesses = 0;
        long[] baseline = null;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String backend = cycle % 2 == 0 ? "jdk" : "chronicle";
            System.setProperty("rapace.memory", backend);
            Moment moment = Moment.values()[random.nextInt(Moment.values().length)];
            cycles.merge(moment, 1, Integer::sum);
            Outcome outcome = cycle(moment, backend, random);
            failureNanos.addAll(outcome.failures);
            outcome.wrong.forEach(w -> wrongOutcomes.merge(w, 1, Integer::sum));
            hung += outcome.hung;
            leftFiles += ShmFiles.leftBy(outcome.pid).size();
            if (ProcessHandle.of(outcome.pid).map(ProcessHandle::isAlive).orElse(false)) {
                leftProcesses++;
            }
            if (cycle == BASELINE_CYCLE) {
                baseline = footprint();
            }
        }
        leftFiles += ShmFiles.leftByThisProcess().size();
        long[] end = footprint();
        List<Long> sorted = new ArrayList<>(failureNanos);
        Collections.sort(sorted);
        String text = "kill -9 campaign (session level), " + CYCLES + " cycles, seed " + SEED + ", by moment " + cycles
                + "\n  pending calls failed: " + sorted.size() + "; kill to failure p50 " + ms(percentile(sorted, 50))
                + ", p99 " + ms(percentile(sorted, 99)) + ", max " + ms(percentile(sorted, 100))
                + "\n  hung calls (pending 5 s after the kill): " + hung
                + "\n  outcomes other than PEER_DIED: " + wrongOutcomes
                + "\n  files left in /dev/shm: " + leftFiles + "; processes left: " + leftProcesses
                + "\n  threads after cycle " + (BASELINE_CYCLE + 1) + " / at the end: " + baseline[0] + " / " + end[0]
                + "\n  heap after cycle " + (BASELINE_CYCLE + 1) + " / at the end (after GC): " + baseline[1] / 1024
                + " KiB / " + end[1] / 1024
                + " KiB\n";
        Campaigns.report("kill-session.txt", text);
        assertEquals(0, hung, "hung calls");
        assertEquals(Map.of(), wrongOutcomes, "pending calls that ended otherwise than with PEER_DIED");
        assertTrue(sorted.isEmpty() || percentile(sorted, 100) < TimeUnit.SECONDS.toNanos(1),
                "a pending call failed more than 1 s after the kill");
        assertEquals(0, leftFiles, "files left in /dev/shm");
        assertEquals(0, leftProcesses, "children still running");
        assertTrue(end[0] <= baseline[0] + 4, "threads grew from " + baseline[0] + " to " + end[0]);
        assertTrue(end[1] <= baseline[1] + 64L * 1024 * 1024, "heap grew from " + baseline[1] + " to " + end[1]);
    }

    private record Outcome(long pid, List<Long> failures, List<String> wrong, int hung) {
    }

    private Outcome cycle(Moment moment, String backend, Random random) throws Exception {
        Probe probe = new Probe();
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .serve(probe)
                .serve(new CalculatorDispatcher(new Arithmetic()))
                .listen();
        Process child = PeerChild.start(listening, backend, "lifecycle");
        childPids.add(child.pid());
        List<Long> failures = new CopyOnWriteArrayList<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        int hung = 0;
        long[] killedAt = new long[1];
        try {
            if (moment == Moment.HANDSHAKE) {
                // the child connects some 100s of ms after it starts: kill it somewhere on the way
                CompletableFuture<RpcSession> accept = CompletableFuture.supplyAsync(() -> {
                    try {
                        return listening.accept(Duration.ofSeconds(3));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(random.nextInt(800));
                killedAt[0] = System.nanoTime();
                child.destroyForcibly();
                try {
                    RpcSession rpc = accept.get(HUNG.toSeconds() + 3, TimeUnit.SECONDS);
                    rpc.closed().get(HUNG.toSeconds(), TimeUnit.SECONDS); // connected first: the session ends
                    rpc.close();
                } catch (java.util.concurrent.ExecutionException e) {
                    // no plugin connected, or the session could not start: the accept said so
                } catch (java.util.concurrent.TimeoutException e) {
                    hung++;
                    listening.close();
                }
                listening.close();
                return finish(child, failures, wrong, hung);
            }
            RpcSession rpc = listening.accept(GUARD);
            List<Pending> pending = new ArrayList<>();
            switch (moment) {
                case UNARY -> pending.add(unary(rpc));
                case SERVER_STREAM -> pending.add(serverStream(rpc));
                case CLIENT_STREAM -> pending.add(clientStream(rpc));
                case BIDI_STREAM -> pending.add(bidiStream(rpc));
                case NESTED -> pending.add(nested(rpc, probe));
                case ALL_KINDS -> {
                    pending.add(unary(rpc));
                    pending.add(serverStream(rpc));
                    pending.add(clientStream(rpc));
                    pending.add(bidiStream(rpc));
                    pending.add(nested(rpc, probe));
                }
                case SHUTDOWN -> pending.add(new Pending("shutdown", CompletableFuture.runAsync(
                        () -> rpc.shutdownPeer(GUARD)), false));
                default -> throw new IllegalStateException(moment.toString());
            }
            Thread.sleep(random.nextInt(moment == Moment.SHUTDOWN ? 3 : 20));
            killedAt[0] = System.nanoTime();
            child.destroyForcibly();
            for (Pending p : pending) {
                try {
                    p.call.get(HUNG.toMillis(), TimeUnit.MILLISECONDS);
                    if (p.mustFail) {
                        wrong.add(p.kind + " ended normally");
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    hung++;
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c
                            ? c.getCause() : e.getCause();
                    if (cause instanceof RpcException r && r.code() == ErrorCode.PEER_DIED) {
                        failures.add(p.failedAt[0] - killedAt[0]);
                    } else {
                        wrong.add(p.kind + " " + (cause instanceof RpcException r ? r.code() : cause.toString()));
                    }
                }
            }
            rpc.closed().get(GUARD.toSeconds(), TimeUnit.SECONDS);
            rpc.close();
            return finish(child, failures, wrong, hung);
        } finally {
            child.destroyForcibly();
            child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static Outcome finish(Process child, List<Long> failures, List<String> wrong, int hung)
            throws InterruptedException {
        child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS);
        return new Outcome(child.pid(), failures, wrong, hung);
    }

    /** A call in flight, and when it failed. */
    private record Pending(String kind, CompletableFuture<?> call, boolean mustFail, long[] failedAt) {
        Pending(String kind, CompletableFuture<?> call, boolean mustFail) {
            this(kind, call, mustFail, new long[1]);
        }
    }

    /** Runs {@code body} on its own thread; records when it failed. */
    private static Pending inFlight(String kind, java.util.concurrent.Callable<?> body) {
        long[] failedAt = new long[1];
        CompletableFuture<Object> call = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                call.complete(body.call());
            } catch (Throwable t) {
                failedAt[0] = System.nanoTime();
                call.completeExceptionally(t);
            }
        }, "campaign " + kind);
        thread.setDaemon(true);
        thread.start();
        return new Pending(kind, call, true, failedAt);
    }

    private static Pending unary(RpcSession rpc) throws InterruptedException {
        Pending p = inFlight("unary", () -> rpc.unary(Probe.SLEEP, 60_000L, Codecs.U64, Codecs.STRING,
                CallOptions.DEFAULT));
        Probe.awaitSleeping(rpc);
        return p;
    }

    private static Pending serverStream(RpcSession rpc) throws InterruptedException {
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        Pending p = inFlight("server stream", () -> {
            long n = 0;
            for (Long ignored : rpc.serverStreaming(Probe.COUNT, 1_000_000_000, Codecs.U32, Codecs.U64,
                    CallOptions.DEFAULT)) {
                first.countDown();
                n++;
            }
            return n;
        });
        first.await(GUARD.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    private static Pending clientStream(RpcSession rpc) throws InterruptedException {
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        Pending p = inFlight("client stream", () -> rpc.clientStreaming(Probe.SUM, RpcStream.generate(out -> {
            for (long i = 0; ; i++) {
                out.send(i);
                first.countDown();
            }
        }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT));
        first.await(GUARD.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    private static Pending bidiStream(RpcSession rpc) throws InterruptedException {
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        Pending p = inFlight("bidi stream", () -> {
            long n = 0;
            for (Long ignored : rpc.bidiStreaming(Probe.DOUBLE, RpcStream.generate(out -> {
                for (long i = 0; ; i++) {
                    out.send(i);
                }
            }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT)) {
                first.countDown();
                n++;
            }
            return n;
        });
        first.await(GUARD.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    /** The peer's handler calls back into this side's BLOCK, which waits: a nested call in flight both ways. */
    private static Pending nested(RpcSession rpc, Probe probe) throws InterruptedException {
        Pending p = inFlight("nested", () -> rpc.unary(Probe.BLOCK_PEER, Unit.UNIT, Codecs.UNIT, Codecs.UNIT,
                CallOptions.DEFAULT));
        probe.blocked.tryAcquire(GUARD.toSeconds(), TimeUnit.SECONDS);
        return p;
    }
}
