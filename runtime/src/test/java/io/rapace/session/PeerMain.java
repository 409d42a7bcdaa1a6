package io.rapace.session;

import io.rapace.config.SegmentGeometry;
import io.rapace.config.SessionConfig;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.HostileWriter;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.SendTimeoutException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The second process of the two-process tests. {@code java -cp <test class path> io.rapace.session.PeerMain MODE
 * ...}; it prints {@code READY} when its session is up and {@code RESULT ...} lines the test reads. Modes:
 *
 * <ul>
 *   <li>{@code echo SEG SOCK [spinNanos]}: PeerB; sends every data frame back as it came, until the session ends.
 *   <li>{@code pinger SEG SOCK COUNT SIZE}: PeerB; sends COUNT frames of SIZE bytes, each after the echo of the
 *       previous one, checks every echo, prints {@code RESULT pinged COUNT}, then closes.
 *   <li>{@code stream SEG SOCK COUNT SEED}: PeerB; sends COUNT frames of mixed sizes (sequence number first), then
 *       an EOS frame with the count and the CRC32 of all payloads.
 *   <li>{@code stall SEG SOCK}: PeerB; its reader blocks for good on the first data frame (back-pressure tests).
 *   <li>{@code idle SEG SOCK}: PeerB; does nothing until the session ends.
 *   <li>{@code hostile SEG SOCK COUNT SEED}: PeerB; writes COUNT garbage descriptors on channel 2, then one valid
 *       inline frame "done", and prints the expected counts.
 *   <li>{@code invalid SEG SOCK}: PeerB; opens a channel, prints {@code CHANNEL n}, publishes on it two descriptors
 *       with a slot index past the pool (msg ids 1, 2) and two with a stale generation (msg ids 3, 4), and prints
 *       {@code ERROR channel code} for every ERROR frame the host sends back, until the session ends.
 *   <li>{@code host}: PeerA; listens, prints {@code PATHS seg sock}, accepts, then idles.
 *   <li>{@code listen-only}: PeerA; listens, prints {@code PATHS seg sock}, and waits without accepting.
 *   <li>{@code create RING SLOTS SIZE}: creates a segment and prints {@code BACKEND name} and {@code RESULT created}, or
 *       the error.
 * </ul>
 */
public final class PeerMain {
    private static final PrintStream OUT = System.out;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(System.err); // stdout carries only the protocol lines below
        String mode = args[0];
        switch (mode) {
            case "host":
            case "listen-only":
                host(mode.equals("host"));
                return;
            case "create":
                create(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                return;
            default:
                break;
        }
        Path seg = Path.of(args[1]);
        Path sock = Path.of(args[2]);
        switch (mode) {
            case "echo":
                echo(seg, sock, args.length > 3 ? Long.parseLong(args[3]) : 2_000);
                break;
            case "pinger":
                pinger(seg, sock, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                break;
            case "stream":
                stream(seg, sock, Integer.parseInt(args[3]), Long.parseLong(args[4]));
                break;
            case "stall":
                stall(seg, sock);
                break;
            case "idle":
                idle(seg, sock);
                break;
            case "invalid":
                invalid(seg, sock);
                break;
            case "hostile":
                hostile(seg, sock, Integer.parseInt(args[3]), Long.parseLong(args[4]));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /**
     * Sends what the project's loggers log as {@code LOG <level> <message>} lines on stdout, where the test reads
     * and asserts them, instead of to stderr: for modes whose faults are provoked on purpose.
     */
    static void logsToStdout() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.rapace");
        logger.setUseParentHandlers(false);
        logger.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                say("LOG " + record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        LOGGERS.add(logger);
    }

    /** Keeps the configured loggers reachable (java.util.logging holds them weakly). */
    private static final List<java.util.logging.Logger> LOGGERS = new java.util.ArrayList<>();

    static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    private static SessionConfig config(long spinNanos) {
        return SessionConfig.builder().peerId("peer-main").spin(Duration.ofNanos(spinNanos))
                .adaptiveSpin(Duration.ofNanos(spinNanos == 0 ? 0 : 50_000)).build();
    }

    private static void echo(Path seg, Path sock, long spinNanos) throws Exception {
        Session s = Session.connect(seg, sock, config(spinNanos), new SessionListener() {
            @Override
            public void onFrame(Session session, Frame frame) {
                try {
                    session.send(frame.channelId(), frame.methodId(), frame.flags(), frame.payload());
                } catch (SendTimeoutException | IllegalStateException e) {
                    say("ERROR " + e.getMessage());
                }
            }
        });
        say("READY " + s.backend());
        s.closed().get();
        say("RESULT sleeps " + s.sleeps());
        System.exit(0);
    }

    private static void pinger(Path seg, Path sock, int count, int size) throws Exception {
        LinkedBlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
        Session s = Session.connect(seg, sock, config(0), (session, frame) -> echoes.add(frame.payloadBytes()));
        say("READY " + s.backend());
        int channel = s.openChannel();
        Random random = new Random(size);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            s.send(channel, 77, FrameFlags.DATA, ByteBuffer.wrap(payload));
            byte[] back = echoes.poll(30, TimeUnit.SECONDS);
            if (back == null || !java.util.Arrays.equals(payload, back)) {
                say("RESULT mismatch at " + i);
                System.exit(1);
            }
        }
        say("RESULT pinged " + count);
        s.close();
        System.exit(0);
    }

    /** Payload of frame {@code i}: its sequence number, then bytes from a seeded generator; sizes vary. */
    static byte[] streamPayload(long i, Random random) {
        int size;
        int pick = random.nextInt(100);
        if (pick < 85) {
            size = 8 + random.nextInt(17); // inline
        } else if (pick < 99) {
            size = 25 + random.nextInt(4000); // one slot
        } else {
            size = 4097 + random.nextInt(12_000); // split
        }
        byte[] p = new byte[size];
        random.nextBytes(p);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putLong(0, i);
        return p;
    }

    private static void stream(Path seg, Path sock, int count, long seed) throws Exception {
        Session s = Session.connect(seg, sock, config(2_000), (session, frame) -> { });
        say("READY " + s.backend());
        int channel = s.openChannel();
        Random random = new Random(seed);
        CRC32 crc = new CRC32();
        for (int i = 0; i < count; i++) {
            byte[] p = streamPayload(i, random);
            crc.update(p);
            s.send(channel, 1, FrameFlags.DATA, 0, ByteBuffer.wrap(p), Duration.ofSeconds(30));
        }
        long checksum = crc.getValue();
        s.send(channel, 2, FrameFlags.DATA | FrameFlags.EOS, 0, w -> {
            w.writeU64(count);
            w.writeU64(checksum);
        }, Duration.ofSeconds(30));
        say("RESULT sent " + count + " " + checksum);
        s.closed().get();
        System.exit(0);
    }

    private static void stall(Path seg, Path sock) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Session s = Session.connect(seg, sock, config(2_000), (session, frame) -> {
            say("STALLED");
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        say("READY " + s.backend());
        s.closed().get();
        System.exit(0);
    }

    private static void idle(Path seg, Path sock) throws Exception {
        Session s = Session.connect(seg, sock, config(2_000), (session, frame) -> { });
        say("READY " + s.backend());
        s.closed().get();
        say("RESULT closed " + s.closeCause());
        System.exit(0);
    }

    private static void hostile(Path seg, Path sock, int count, long seed) throws Exception {
        logsToStdout();
        Session s = Session.connect(seg, sock, config(2_000), (session, frame) -> { });
        say("READY " + s.backend());
        HostileWriter writer = new HostileWriter(s.segment(), PeerRole.PEER_B, s::ringPeer);
        Map<io.rapace.shm.InvalidFrameKind, Long> expected = writer.writeGarbage(new Random(seed), count, 2);
        writer.writeInline(2, 9, FrameFlags.DATA | FrameFlags.EOS, "done".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder("RESULT expected");
        expected.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        say(sb.toString());
        s.closed().get();
        System.exit(0);
    }

    private static void invalid(Path seg, Path sock) throws Exception {
        Session s = Session.connect(seg, sock, config(2_000), (session, frame) -> {
            if ((frame.flags() & FrameFlags.ERROR) != 0) {
                try {
                    int code = io.rapace.codec.PostcardReader.of(frame.payload()).readU32();
                    say("ERROR " + Integer.toUnsignedString(frame.channelId()) + " " + code);
                } catch (io.rapace.codec.DecodeException e) {
                    say("ERROR undecodable " + e.getMessage());
                }
            }
        });
        say("READY " + s.backend());
        int channel = s.openChannel();
        say("CHANNEL " + channel);
        HostileWriter writer = new HostileWriter(s.segment(), PeerRole.PEER_B, s::ringPeer);
        writer.writeInvalid(io.rapace.shm.InvalidFrameKind.SLOT_INDEX, channel, 1);
        writer.writeInvalid(io.rapace.shm.InvalidFrameKind.SLOT_INDEX, channel, 2);
        writer.writeInvalid(io.rapace.shm.InvalidFrameKind.STALE_GENERATION, channel, 3);
        writer.writeInvalid(io.rapace.shm.InvalidFrameKind.STALE_GENERATION, channel, 4);
        writer.writeInvalid(io.rapace.shm.InvalidFrameKind.CHECKSUM, channel, 5);
        s.closed().get();
        System.exit(0);
    }

    private static void host(boolean accept) throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.builder().peerId("child-host").build());
        say("PATHS " + listening.segmentPath() + " " + listening.socketPath());
        if (!accept) {
            Thread.sleep(Long.MAX_VALUE);
        }
        Session s = listening.accept((session, frame) -> { }, Duration.ofSeconds(30));
        say("READY " + s.backend());
        s.closed().get();
        System.exit(0);
    }

    private static void create(int ring, int slots, int size) {
        try {
            Segment s = Segment.create(Segment.DEFAULT_DIRECTORY, new SegmentGeometry(ring, slots, size));
            s.unlink();
            say("BACKEND " + s.backend());
            say("RESULT created");
        } catch (Exception e) {
            say("RESULT " + e.getMessage());
        }
    }
}
