package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codecs;
import io.rapace.config.SessionConfig;
import io.rapace.shm.MemoryBackendTest;
import io.rapace.shm.ShmFiles;
import io.rapace.testing.Campaigns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A soak ({@code docs/reliability.md}): this host and 4 {@link RpcPeerMain} children (two per memory backend), and
 * on each session at once, at full rate, unary calls, server, client and bidi streams and nested calls, plus paced
 * unary calls every 10 ms. Every message can be checked: a unary request carries its sequence number and the CRC32 of
 * its body (the echo must come back byte for byte), stream elements are consecutive sequence numbers (a server
 * stream's {@code 0..n-1}, a bidi stream's doubles, a client stream's sum), so that a message lost, duplicated,
 * reordered or corrupted is counted as such, per kind of call. Every 5 s the messages of the last 5 s, the heap
 * after a GC and the RSS of this process and the children are sampled to {@code target/campaign/soak.csv}.
 *
 * <p>{@code mvn verify} soaks 10 s; {@code -Drapace.campaign.soakSeconds=600} soaks 10 minutes.
 */
class SoakProcessTest {
    private static final int SECONDS = Integer.getInteger("rapace.campaign.soakSeconds", 10);
    private static final int PLUGINS = 4;
    private static final Duration SAMPLE = Duration.ofSeconds(5);
    private static final Duration GUARD = Duration.ofSeconds(60);
    /** Kinds of message, for the per-kind counts. */
    private static final String[] KINDS = {"unary", "server stream", "client stream", "bidi stream", "nested", "paced"};

    @AfterAll
    static void restoreBackend() {
        MemoryBackendTest.restoreDefault();
    }

    @Test
    void nothingIsLostDuplicatedReorderedOrCorruptedAndNothingGrows() throws Exception {
        List<Process> children = new ArrayList<>();
        List<RpcSession> sessions = new ArrayList<>();
        Counts counts = new Counts();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        StringBuilder csv = new StringBuilder("seconds,messages_per_second,heap_kib,host_rss_kib,children_rss_kib,"
                + "paced_p99_ms\n");
        try {
            for (int i = 0; i < PLUGINS; i++) {
                String backend = i % 2 == 0 ? "jdk" : "chronicle";
                System.setProperty("rapace.memory", backend);
                RpcSession.Listening listening = RpcSession.builder()
                        .config(SessionConfig.builder().peerId("host").build())
                        .serve(new Probe())
                        .serve(new CalculatorDispatcher(new Arithmetic()))
                        .listen();
                children.add(PeerChild.start(listening, backend));
                RpcSession rpc = listening.accept(GUARD);
                assertEquals(backend, rpc.backend());
                sessions.add(rpc);
            }
            for (int s = 0; s < sessions.size(); s++) {
                RpcSession rpc = sessions.get(s);
                String name = "session " + s;
                workers.add(worker(name + " unary", stop, counts, () -> unary(rpc, counts, 0)));
                workers.add(worker(name + " server stream", stop, counts, () -> serverStream(rpc, counts)));
                workers.add(worker(name + " client stream", stop, counts, () -> clientStream(rpc, counts)));
                workers.add(worker(name + " bidi stream", stop, counts, () -> bidiStream(rpc, counts)));
                workers.add(worker(name + " nested", stop, counts, () -> nested(rpc, counts)));
                workers.add(worker(name + " paced", stop, counts, () -> {
                    long start = System.nanoTime();
                    unary(rpc, counts, 5);
                    counts.paced(System.nanoTime() - start);
                    Thread.sleep(10);
                }));
            }
            long begin = System.nanoTime();
            long lastMessages = 0;
            firstSample = null;
            while (System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(SECONDS)) {
                Thread.sleep(Math.min(SAMPLE.toMillis(), TimeUnit.SECONDS.toMillis(SECONDS)));
                long messages = counts.messages.get();
                double seconds = (System.nanoTime() - begin) / 1e9;
                long heap = heapAfterGc();
                long[] sample = {Thread.getAllStackTraces().size(), heap};
                if (firstSample == null) {
                    firstSample = sample;
                }
                lastSample = sample;
                long childrenRss = 0;
                for (Process child : children) {
                    childrenRss += rssKib(child.pid());
                }
                csv.append(String.format(Locale.ROOT, "%.0f,%.0f,%d,%d,%d,%.2f%n", seconds,
                        (messages - lastMessages) / (double) SAMPLE.toSeconds(), heap / 1024,
                        rssKib(ProcessHandle.current().pid()), childrenRss, counts.pacedP99AndReset() / 1e6));
                lastMessages = messages;
            }
        } finally {
            stop.set(true);
            for (Thread worker : workers) {
                worker.join(GUARD.toMillis());
            }
            for (RpcSession rpc : sessions) {
                rpc.close();
            }
            for (Process child : children) {
                child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS);
                child.destroyForcibly();
            }
        }
        String text = "soak: " + PLUGINS + " sessions (2 per backend), " + SECONDS + " s, " + counts.messages.get()
                + " messages checked\n" + counts.report() + "  failed calls: " + counts.failures + " " + counts.firstFailure
                + "\n  other exceptions: " + counts.unexpected + "\n  threads / heap at the first and the last sample: "
                + firstSample[0] + " / " + firstSample[1] / 1024 + " KiB, " + lastSample[0] + " / " + lastSample[1] / 1024
                + " KiB\n";
        Campaigns.report("soak.txt", text);
        Campaigns.report("soak.csv", csv.toString());
        Files.writeString(Path.of("target", "campaign", "soak.svg"), Campaigns.chart(csv.toString(), "messages/s",
                "heap after GC (KiB)", "host RSS (KiB)", "children's RSS (KiB)"));
        assertEquals(0, counts.bad(), "messages lost, duplicated, reordered or corrupted:\n" + counts.report());
        assertEquals(0, counts.failures.get(), "calls failed: " + counts.firstFailure);
        assertEquals(List.of(), counts.unexpected, "exceptions other than RpcException");
        assertTrue(lastSample[0] <= firstSample[0] + 4, "threads grew from " + firstSample[0] + " to " + lastSample[0]);
        assertTrue(lastSample[1] <= firstSample[1] + 64L * 1024 * 1024, "heap grew from " + firstSample[1] + " to "
                + lastSample[1]);
        assertTrue(counts.messages.get() > 0);
        long[] pids = children.stream().mapToLong(Process::pid).toArray();
        assertEquals(List.of(), ShmFiles.leftBy(pids));
        assertEquals(List.of(), ShmFiles.leftByThisProcess());
    }

    /** Threads and heap at the first and the last sample. */
    private long[] firstSample;
    private long[] lastSample;

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} until {@code stop}; anything it throws but an RpcException (counted by body) is recorded. */
    private static Thread worker(String name, AtomicBoolean stop, Counts counts, Body body) {
        Thread thread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | Error e) {
                    if (!stop.get()) {
                        counts.unexpected(name + ": " + e);
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** An echo of {@code seq:crc:body}: it must come back byte for byte. */
    private static void unary(RpcSession rpc, Counts counts, int kind) {
        long seq = counts.next(kind);
        String body = "x".repeat((int) (seq % 200));
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String request = seq + ":" + Long.toHexString(crc.getValue()) + ":" + body;
        try {
            String reply = rpc.unary(Probe.ECHO, request, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
            counts.check(kind, reply.equals(request) ? 0 : 3);
        } catch (RpcException e) {
            counts.failed(e);
        }
    }

    private static void serverStream(RpcSession rpc, Counts counts) {
        int n = 1000;
        long expected = 0;
        try {
            for (long v : rpc.serverStreaming(Probe.COUNT, n, Codecs.U32, Codecs.U64, CallOptions.DEFAULT)) {
                counts.check(1, classify(v, expected));
                expected = Math.max(expected, v) + 1;
            }
            counts.lost(1, n - expected);
        } catch (RpcException e) {
            counts.failed(e);
        }
    }

    private static void clientStream(RpcSession rpc, Counts counts) {
        int n = 1000;
        try {
            long sum = rpc.clientStreaming(Probe.SUM, RpcStream.generate(out -> {
                for (long i = 1; i <= n; i++) {
                    out.send(i);
                }
                out.complete();
            }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT);
            counts.messages.addAndGet(n);
            counts.check(2, sum == (long) n * (n + 1) / 2 ? 0 : 3); // a wrong sum: something lost or corrupted
        } catch (RpcException e) {
            counts.failed(e);
        }
    }

    private static void bidiStream(RpcSession rpc, Counts counts) {
        int n = 1000;
        long expected = 0;
        try {
            for (long v : rpc.bidiStreaming(Probe.DOUBLE, RpcStream.generate(out -> {
                for (long i = 0; i < n; i++) {
                    out.send(i);
                }
                out.complete();
            }), Codecs.U64, Codecs.U64, CallOptions.DEFAULT)) {
                if (v % 2 != 0) {
                    counts.check(3, 3);
                    continue;
                }
                counts.check(3, classify(v / 2, expected));
                expected = Math.max(expected, v / 2) + 1;
            }
            counts.lost(3, n - expected);
        } catch (RpcException e) {
            counts.failed(e);
        }
    }

    /** The child's nest calls back into this side's nest, 4 deep: it answers the depth it reached. */
    private static void nested(RpcSession rpc, Counts counts) {
        try {
            int depth = rpc.unary(Probe.NEST, 4, Codecs.U32, Codecs.U32, CallOptions.DEFAULT);
            counts.next(4);
            counts.check(4, depth == 4 ? 0 : 3);
        } catch (RpcException e) {
            counts.failed(e);
        }
    }

    /** 0 in order, 1 duplicated or reordered (an element again or behind), 2 lost (an element skipped). */
    private static int classify(long value, long expected) {
        if (value == expected) {
            return 0;
        }
        return value < expected ? 1 : 2;
    }

    private static long heapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // gone
        }
        return 0;
    }

    /** Counts by kind: ok, duplicated or reordered, lost, corrupted. */
    private static final class Counts {
        final AtomicLong messages = new AtomicLong();
        final AtomicLongArray byKind = new AtomicLongArray(KINDS.length * 4);
        final AtomicLongArray sequence = new AtomicLongArray(KINDS.length);
        final AtomicLong failures = new AtomicLong();
        volatile String firstFailure = "";
        final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<Long> paced = new ArrayList<>();

        long next(int kind) {
            return sequence.getAndIncrement(kind);
        }

        void check(int kind, int outcome) {
            messages.incrementAndGet();
            byKind.incrementAndGet(kind * 4 + outcome);
        }

        void lost(int kind, long n) {
            if (n > 0) {
                byKind.addAndGet(kind * 4 + 2, n);
            }
        }

        void failed(RpcException e) {
            if (failures.getAndIncrement() == 0) {
                firstFailure = e.toString();
            }
        }

        void unexpected(String what) {
            if (unexpected.size() < 10) {
                unexpected.add(what);
            }
        }

        synchronized void paced(long nanos) {
            paced.add(nanos);
        }

        synchronized long pacedP99AndReset() {
            if (paced.isEmpty()) {
                return 0;
            }
            List<Long> sorted = new ArrayList<>(paced);
            java.util.Collections.sort(sorted);
            paced.clear();
            return sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
        }

        long bad() {
            long bad = 0;
            for (int k = 0; k < KINDS.length; k++) {
                bad += byKind.get(k * 4 + 1) + byKind.get(k * 4 + 2) + byKind.get(k * 4 + 3);
            }
            return bad;
        }

        String report() {
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < KINDS.length; k++) {
                out.append(String.format(Locale.ROOT, "  %-13s ok %d, duplicated or reordered %d, lost %d, corrupted %d%n",
                        KINDS[k], byKind.get(k * 4), byKind.get(k * 4 + 1), byKind.get(k * 4 + 2),
                        byKind.get(k * 4 + 3)));
            }
            return out.toString();
        }
    }
}
