package io.rapace.benchmarks.shm;

import io.rapace.benchmarks.harness.AgronaRings;
import io.rapace.benchmarks.harness.Children;
import io.rapace.benchmarks.harness.Machine;
import io.rapace.benchmarks.harness.Timing;
import io.rapace.benchmarks.harness.Uds;
import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.session.Session;
import io.rapace.session.SessionListener;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Cross-process benchmark of the raw rapace session against two floors, every peer started by this harness in the
 * same run: Agrona's {@code OneToOneRingBuffer} over a mapped file (busy-spinning, the floor for spin mode) and a
 * plain Unix-domain-socket ping-pong (blocking reads, the floor for a blocking wake-up).
 *
 * <p>For each transport and payload size (16 B, 1 KiB, 64 KiB): round trips back to back, round trips paced at one
 * per millisecond (p50 and p99), and one-way throughput (messages per second, acknowledged at the end). Then the CPU
 * seconds of a quiet rapace session (two processes), of two bare sleeping JVMs and of two JVMs with a 100 ms timer
 * thread, all started together, over two consecutive 30 s windows (start-up, then steady). Prints a Markdown
 * report. Run with the runtime, chronicle-core and agrona on the class path and the chronicle flags:
 *
 * <pre>
 * java --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
 *      --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp CLASSPATH io.rapace.benchmarks.shm.ShmBenchmark [--quick] [--idle-seconds 30]
 * </pre>
 */
public final class ShmBenchmark {
    static final int[] SIZES = {16, 1024, 65536};
    static final long PACE_NANOS = 1_000_000;
    /** Slots large enough for the 64 KiB payload, so no size is split. */
    static final SegmentGeometry GEOMETRY = new SegmentGeometry(256, 64, 65536);
    static final int AGRONA_RING = 1 << 21;
    /** Agrona 2.x reaches jdk.internal.misc.Unsafe. */
    static final List<String> AGRONA_FLAGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
    static final List<String> CHRONICLE_FLAGS = List.of("--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final boolean quick;
    private final Children children = new Children();

    ShmBenchmark(boolean quick) {
        this.quick = quick;
    }

    /** One row of results. */
    record Row(String transport, int size, double b2bP50, double b2bP99, double pacedP50, double pacedP99,
            double msgsPerSec) {
    }

    interface Transport extends AutoCloseable {
        /** Round-trip times in ns of {@code count} messages after {@code warmup}, back to back. */
        long[] backToBack(int size, int warmup, int count) throws Exception;

        /** Round-trip times in ns, one message every {@code period} ns. */
        long[] paced(int size, int warmup, int count, long period) throws Exception;

        /** Messages per second of {@code count} one-way messages, acknowledged by the last. */
        double throughput(int size, int count) throws Exception;

        @Override
        void close() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int idleSeconds = 30;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--idle-seconds")) {
                idleSeconds = Integer.parseInt(args[i + 1]);
            }
        }
        ShmBenchmark bench = new ShmBenchmark(quick);
        try {
            bench.run(idleSeconds);
        } finally {
            bench.children.close();
        }
        System.exit(0);
    }

    void run(int idleSeconds) throws Exception {
        String loadBefore = Machine.loadAverage();
        List<Row> rows = new ArrayList<>();
        Map<String, java.util.concurrent.Callable<Transport>> transports = new LinkedHashMap<>();
        transports.put("agrona (spin)", this::agrona);
        transports.put("rapace jdk spin", () -> rapace("jdk", WakeMode.SPIN));
        transports.put("rapace chronicle spin", () -> rapace("chronicle", WakeMode.SPIN));
        transports.put("uds (blocking)", this::uds);
        transports.put("rapace jdk default", () -> rapace("jdk", WakeMode.BLOCKING));
        transports.put("rapace chronicle default", () -> rapace("chronicle", WakeMode.BLOCKING));
        String only = System.getProperty("rapace.bench.only", "");
        for (Map.Entry<String, java.util.concurrent.Callable<Transport>> e : transports.entrySet()) {
            if (!e.getKey().contains(only)) {
                continue;
            }
            try (Transport t = e.getValue().call()) {
                for (int size : SIZES) {
                    int b2bCount = quick ? 2_000 : size >= 65536 ? 10_000 : 30_000;
                    long[] b2b = t.backToBack(size, b2bCount / 2, b2bCount);
                    int pacedCount = quick ? 300 : 3_000;
                    long[] paced = t.paced(size, 300, pacedCount, PACE_NANOS);
                    int burst = quick ? 20_000 : size >= 65536 ? 30_000 : size >= 1024 ? 400_000 : 1_000_000;
                    t.throughput(size, burst / 4); // warm-up
                    double rate = t.throughput(size, burst);
                    Row row = new Row(e.getKey(), size, pct(b2b, 50), pct(b2b, 99), pct(paced, 50),
                            pct(paced, 99),
                            rate);
                    rows.add(row);
                    System.err.println(row);
                }
            }
        }
        double[] idle = idleSeconds > 0 ? idleCpu(idleSeconds) : new double[6];
        System.out.println("Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + Machine.loadAverage() + "\n");
        System.out.println(report(rows, idle, idleSeconds));
    }

    static double pct(long[] nanos, int p) {
        return Timing.percentileMicros(Timing.sorted(nanos), p);
    }

    // =====================================================================================================
    // children

    Process spawn(List<String> jvmArgs, String... args) throws IOException {
        return children.spawn(BenchPeer.class, jvmArgs, args);
    }

    String expect(Process p, String prefix) throws IOException, InterruptedException {
        return children.expect(p, prefix);
    }

    // =====================================================================================================
    // rapace

    Transport rapace(String backend, WakeMode mode) throws Exception {
        System.setProperty("rapace.memory", backend);
        SessionConfig config = SessionConfig.builder().geometry(GEOMETRY).wakeMode(mode)
                .adaptiveSpin(Duration.ofNanos(Long.getLong("rapace.bench.adaptiveSpinNanos", 50_000)))
                .sendTimeout(Duration.ofSeconds(60)).build();
        Session.Listening l = Session.listen(config);
        List<String> jvm = new ArrayList<>(CHRONICLE_FLAGS);
        jvm.add("-Drapace.memory=" + backend);
        jvm.add("-Drapace.bench.adaptiveSpinNanos=" + Long.getLong("rapace.bench.adaptiveSpinNanos", 50_000));
        Process child = spawn(jvm, "rapace", l.segmentPath().toString(), l.socketPath().toString(), mode.name());
        Dispatch dispatch = new Dispatch();
        Session s = l.accept(dispatch, Duration.ofSeconds(60));
        String ready = expect(child, "READY");
        if (!s.backend().equals(backend) || !ready.equals("READY " + backend)) {
            throw new IllegalStateException("asked for " + backend + " but got " + s.backend() + " / " + ready);
        }
        int channel = s.openChannel();
        return new Transport() {
            @Override
            public long[] backToBack(int size, int warmup, int count) throws Exception {
                int total = warmup + count;
                long[] rtt = new long[total];
                long[] sentAt = new long[1];
                AtomicInteger k = new AtomicInteger();
                CompletableFuture<Void> done = new CompletableFuture<>();
                ByteBuffer payload = ByteBuffer.allocate(size);
                dispatch.handler = frame -> {
                    long now = System.nanoTime();
                    int i = k.getAndIncrement();
                    rtt[i] = now - sentAt[0];
                    if (i + 1 < total) {
                        sentAt[0] = System.nanoTime();
                        send(s, channel, 1, payload);
                    } else {
                        done.complete(null);
                    }
                };
                sentAt[0] = System.nanoTime();
                send(s, channel, 1, payload);
                long sleepsBefore = s.sleeps();
                done.get(10, TimeUnit.MINUTES);
                System.err.println(mode + " b2b " + size + " B: the host's reader slept " + (s.sleeps() - sleepsBefore)
                        + " times in " + total + " round trips");
                return Arrays.copyOfRange(rtt, warmup, total);
            }

            @Override
            public long[] paced(int size, int warmup, int count, long period) throws Exception {
                return mode == WakeMode.SPIN ? pacedFromReader(size, warmup, count, period)
                        : pacedFromSender(size, warmup, count, period);
            }

            /**
             * Default mode, as a client uses it: a sending thread parks until each slot of the schedule and sends;
             * the reader, idle for a millisecond, has gone to sleep and is woken by the echo's doorbell.
             */
            long[] pacedFromSender(int size, int warmup, int count, long period) throws Exception {
                int total = warmup + count;
                long[] sent = new long[total];
                long[] rtt = new long[total];
                java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(total);
                dispatch.handler = frame -> {
                    long now = System.nanoTime();
                    int i = frame.payload().order(ByteOrder.LITTLE_ENDIAN).getInt(frame.payload().position());
                    rtt[i] = now - sent[i];
                    latch.countDown();
                };
                ByteBuffer payload = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    Timing.waitUntil(start + i * period);
                    payload.putInt(0, i);
                    sent[i] = System.nanoTime();
                    send(s, channel, 1, payload);
                }
                latch.await(10, TimeUnit.MINUTES);
                return Arrays.copyOfRange(rtt, warmup, total);
            }

            /**
             * Spin mode, on the reader thread (both readers already own a core each; a third, sending thread would
             * have none on two cores): the handler that receives echo {@code i} parks until slot {@code i + 1} of
             * the schedule and sends.
             */
            long[] pacedFromReader(int size, int warmup, int count, long period) throws Exception {
                int total = warmup + count;
                long[] rtt = new long[total];
                long[] sentAt = new long[1];
                AtomicInteger k = new AtomicInteger();
                CompletableFuture<Void> done = new CompletableFuture<>();
                ByteBuffer payload = ByteBuffer.allocate(size);
                long start = System.nanoTime() + period;
                dispatch.handler = frame -> {
                    long now = System.nanoTime();
                    int i = k.getAndIncrement();
                    rtt[i] = now - sentAt[0];
                    if (i + 1 < total) {
                        Timing.waitUntil(start + (i + 1) * period);
                        sentAt[0] = System.nanoTime();
                        send(s, channel, 1, payload);
                    } else {
                        done.complete(null);
                    }
                };
                Timing.waitUntil(start);
                sentAt[0] = System.nanoTime();
                send(s, channel, 1, payload);
                done.get(10, TimeUnit.MINUTES);
                return Arrays.copyOfRange(rtt, warmup, total);
            }

            @Override
            public double throughput(int size, int count) throws Exception {
                CompletableFuture<Long> ack = new CompletableFuture<>();
                dispatch.handler = frame -> ack.complete(System.nanoTime());
                ByteBuffer payload = ByteBuffer.allocate(size);
                long start = System.nanoTime();
                for (int i = 0; i < count - 1; i++) {
                    send(s, channel, 3, payload);
                }
                send(s, channel, 4, payload);
                long end = ack.get(10, TimeUnit.MINUTES);
                return count / ((end - start) / 1e9);
            }

            @Override
            public void close() {
                s.close();
                Children.reap(child);
            }
        };
    }

    static void send(Session s, int channel, int type, ByteBuffer payload) {
        try {
            s.send(channel, type, FrameFlags.DATA, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Routes frames to whatever measurement runs now (on the session's reader thread). */
    static final class Dispatch implements SessionListener {
        volatile java.util.function.Consumer<Frame> handler = f -> { };

        @Override
        public void onFrame(Session session, Frame frame) {
            handler.accept(frame);
        }
    }

    // =====================================================================================================
    // agrona

    Transport agrona() throws Exception {
        Path file = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".agrona"));
        AgronaRings.create(file, AGRONA_RING);
        OneToOneRingBuffer[] rings;
        Process child;
        try {
            rings = AgronaRings.map(file, AGRONA_RING);
            child = spawn(AGRONA_FLAGS, "agrona", file.toString(), Integer.toString(AGRONA_RING));
            expect(child, "READY");
        } finally {
            Files.deleteIfExists(file);
        }
        OneToOneRingBuffer out = rings[0];
        OneToOneRingBuffer in = rings[1];
        long[] arrival = new long[1];
        int[] lastIndex = new int[1];
        org.agrona.concurrent.MessageHandler record = (type, buffer, index, length) -> {
            arrival[0] = System.nanoTime();
            lastIndex[0] = buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
        };
        return new Transport() {
            void write(int type, UnsafeBuffer src, int size) {
                while (!out.write(type, src, 0, size)) {
                    Thread.onSpinWait();
                }
            }

            long roundTrip(UnsafeBuffer src, int size) {
                long start = System.nanoTime();
                write(1, src, size);
                while (in.read(record, 1) == 0) {
                    Thread.onSpinWait();
                }
                return arrival[0] - start;
            }

            @Override
            public long[] backToBack(int size, int warmup, int count) {
                UnsafeBuffer src = new UnsafeBuffer(new byte[size]);
                long[] rtt = new long[count];
                for (int i = 0; i < warmup + count; i++) {
                    long t = roundTrip(src, size);
                    if (i >= warmup) {
                        rtt[i - warmup] = t;
                    }
                }
                return rtt;
            }

            @Override
            public long[] paced(int size, int warmup, int count, long period) {
                UnsafeBuffer src = new UnsafeBuffer(new byte[size]);
                long[] rtt = new long[count];
                long start = System.nanoTime();
                for (int i = 0; i < warmup + count; i++) {
                    Timing.waitUntil(start + i * period);
                    long t = roundTrip(src, size);
                    if (i >= warmup) {
                        rtt[i - warmup] = t;
                    }
                }
                return rtt;
            }

            @Override
            public double throughput(int size, int count) {
                UnsafeBuffer src = new UnsafeBuffer(new byte[size]);
                long start = System.nanoTime();
                for (int i = 0; i < count - 1; i++) {
                    write(3, src, size);
                }
                write(4, src, size);
                while (in.read(record, 1) == 0) {
                    Thread.onSpinWait();
                }
                return count / ((arrival[0] - start) / 1e9);
            }

            @Override
            public void close() {
                write(9, new UnsafeBuffer(new byte[8]), 8);
                Children.reap(child);
            }
        };
    }

    // =====================================================================================================
    // Unix-domain socket

    Transport uds() throws Exception {
        Path path = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".sock"));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Process child = spawn(List.of(), "uds", path.toString());
        SocketChannel ch = server.accept();
        server.close();
        Files.delete(path);
        expect(child, "READY");
        ByteBuffer header = ByteBuffer.allocateDirect(8);
        ByteBuffer inHeader = ByteBuffer.allocateDirect(8);
        ByteBuffer inBody = ByteBuffer.allocateDirect(1 << 20);
        return new Transport() {
            void write(int type, ByteBuffer body) throws IOException {
                header.clear();
                header.putInt(0, type).putInt(4, body.remaining());
                ByteBuffer[] both = {header, body};
                while (header.hasRemaining() || body.hasRemaining()) {
                    ch.write(both);
                }
            }

            void read() throws IOException {
                inHeader.clear();
                Uds.readFully(ch, inHeader);
                inBody.clear().limit(inHeader.getInt(4));
                Uds.readFully(ch, inBody);
            }

            long roundTrip(ByteBuffer body) throws IOException {
                long start = System.nanoTime();
                write(1, body.clear());
                read();
                return System.nanoTime() - start;
            }

            @Override
            public long[] backToBack(int size, int warmup, int count) throws IOException {
                ByteBuffer body = ByteBuffer.allocateDirect(size);
                long[] rtt = new long[count];
                for (int i = 0; i < warmup + count; i++) {
                    long t = roundTrip(body);
                    if (i >= warmup) {
                        rtt[i - warmup] = t;
                    }
                }
                return rtt;
            }

            @Override
            public long[] paced(int size, int warmup, int count, long period) throws IOException {
                ByteBuffer body = ByteBuffer.allocateDirect(size);
                long[] rtt = new long[count];
                long start = System.nanoTime();
                for (int i = 0; i < warmup + count; i++) {
                    Timing.waitUntil(start + i * period);
                    long t = roundTrip(body);
                    if (i >= warmup) {
                        rtt[i - warmup] = t;
                    }
                }
                return rtt;
            }

            @Override
            public double throughput(int size, int count) throws IOException {
                ByteBuffer body = ByteBuffer.allocateDirect(size);
                long start = System.nanoTime();
                for (int i = 0; i < count - 1; i++) {
                    write(3, body.clear());
                }
                write(4, body.clear());
                read();
                return count / ((System.nanoTime() - start) / 1e9);
            }

            @Override
            public void close() throws IOException {
                ch.close();
                Children.reap(child);
            }
        };
    }

    // =====================================================================================================
    // idle CPU

    /**
     * CPU seconds over two consecutive windows of {@code seconds} each, of a quiet two-process rapace session, of two
     * bare sleeping JVMs, and of two JVMs with only a 100 ms timer thread (the floor of any 100 ms heartbeat). All
     * six JVMs start together; the first window begins 2 s after the session connected (start-up: the beat path
     * still interpreted, the JIT compiling it), the second right after it (steady idle cost). Returns, per window,
     * {session, bare, timer}.
     */
    double[] idleCpu(int seconds) throws Exception {
        System.clearProperty("rapace.memory");
        Process bare1 = spawn(List.of(), "bare");
        Process bare2 = spawn(List.of(), "bare");
        Process timer1 = spawn(List.of(), "bare-timer");
        Process timer2 = spawn(List.of(), "bare-timer");
        Process host = spawn(List.of(), "idle-host");
        String[] paths = expect(host, "PATHS").split(" ");
        Process plugin = spawn(List.of(), "idle-plugin", paths[1], paths[2]);
        expect(host, "READY");
        expect(plugin, "READY");
        List<Process> all = List.of(host, plugin, bare1, bare2, timer1, timer2);
        for (Process p : all.subList(2, 6)) {
            expect(p, "READY");
        }
        Thread.sleep(2_000);
        long[] t0 = Machine.cpuNanos(all);
        Thread.sleep(seconds * 1000L);
        long[] t1 = Machine.cpuNanos(all);
        Thread.sleep(seconds * 1000L);
        long[] t2 = Machine.cpuNanos(all);
        for (Process p : all) {
            p.destroyForcibly();
        }
        double[] out = new double[6];
        long[][] windows = {t0, t1, t2};
        for (int w = 0; w < 2; w++) {
            for (int pair = 0; pair < 3; pair++) {
                long d = windows[w + 1][2 * pair] - windows[w][2 * pair] + windows[w + 1][2 * pair + 1]
                        - windows[w][2 * pair + 1];
                out[3 * w + pair] = d / 1e9;
            }
        }
        return out;
    }

    // =====================================================================================================
    // report

    static String report(List<Row> rows, double[] idle, int idleSeconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "JDK %s, %s, %d cores; rapace geometry %s%n%n",
                System.getProperty("java.runtime.version"), Machine.cpuModel(), Runtime.getRuntime().availableProcessors(),
                GEOMETRY));
        sb.append("| transport | payload | b2b p50 us | b2b p99 us | paced p50 us | paced p99 us | msgs/s |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %,.0f |%n", r.transport(),
                    r.size(), r.b2bP50(), r.b2bP99(), r.pacedP50(), r.pacedP99(), r.msgsPerSec()));
        }
        sb.append("\nRatios (rapace / floor; below 1 is faster for times, above 1 is faster for msgs/s)\n\n");
        sb.append("| comparison | payload | b2b p50 | b2b p99 | paced p50 | paced p99 | msgs/s |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        ratio(sb, rows, "rapace jdk spin", "agrona (spin)");
        ratio(sb, rows, "rapace chronicle spin", "agrona (spin)");
        ratio(sb, rows, "rapace jdk default", "uds (blocking)");
        ratio(sb, rows, "rapace chronicle default", "uds (blocking)");
        sb.append(String.format(Locale.ROOT, "%nIdle CPU seconds (sum of both processes' threads' run time from "
                + "/proc/PID/task/*/schedstat), all six JVMs started together:%n%n"
                + "| window | quiet rapace session | two bare sleeping JVMs | two JVMs with a 100 ms timer thread |%n"
                + "|---|---|---|---|%n"
                + "| %d s from 2 s after connect (start-up) | %.3f | %.3f | %.3f |%n"
                + "| the next %d s (steady) | %.3f | %.3f | %.3f |%n",
                idleSeconds, idle[0], idle[1], idle[2], idleSeconds, idle[3], idle[4], idle[5]));
        return sb.toString();
    }

    private static void ratio(StringBuilder sb, List<Row> rows, String a, String b) {
        for (int size : SIZES) {
            Row x = find(rows, a, size);
            Row y = find(rows, b, size);
            if (x == null || y == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s / %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", a, b, size,
                    x.b2bP50() / y.b2bP50(), x.b2bP99() / y.b2bP99(), x.pacedP50() / y.pacedP50(),
                    x.pacedP99() / y.pacedP99(), x.msgsPerSec() / y.msgsPerSec()));
        }
    }

    private static Row find(List<Row> rows, String transport, int size) {
        for (Row r : rows) {
            if (r.transport().equals(transport) && r.size() == size) {
                return r;
            }
        }
        return null;
    }
}
