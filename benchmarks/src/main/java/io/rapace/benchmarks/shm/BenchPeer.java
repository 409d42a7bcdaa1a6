package io.rapace.benchmarks.shm;

import io.rapace.benchmarks.harness.AgronaRings;
import io.rapace.benchmarks.harness.Uds;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import io.rapace.session.Session;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.SendTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The far side of every {@link ShmBenchmark} run, one JVM per transport. Message types: 1 echo, 3 swallow (one-way
 * throughput), 4 echo (the end-of-burst acknowledgement). Prints {@code READY} on stdout when it serves.
 *
 * <pre>
 * rapace SEG SOCK BLOCKING|SPIN     a rapace session (PeerB); the memory backend comes from -Drapace.memory
 * agrona FILE RING_BYTES            two Agrona OneToOneRingBuffers over a mapped file, busy-spinning
 * uds SOCK                          a Unix-domain socket, blocking reads, 8-byte header (type, length)
 * idle-host / idle-plugin SEG SOCK / bare / bare-timer   for the idle CPU measurement
 * </pre>
 */
public final class BenchPeer {
    private static final PrintStream OUT = System.out;

    private BenchPeer() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        switch (args[0]) {
            case "rapace":
                rapace(Path.of(args[1]), Path.of(args[2]), WakeMode.valueOf(args[3]));
                break;
            case "agrona":
                agrona(Path.of(args[1]), Integer.parseInt(args[2]));
                break;
            case "uds":
                uds(Path.of(args[1]));
                break;
            case "idle-host":
                idleHost();
                break;
            case "idle-plugin":
                idlePlugin(Path.of(args[1]), Path.of(args[2]));
                break;
            case "bare":
                say("READY");
                Thread.sleep(Long.MAX_VALUE);
                break;
            case "bare-timer":
                bareTimer();
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static void rapace(Path seg, Path sock, WakeMode mode) throws Exception {
        SessionConfig config = SessionConfig.builder().wakeMode(mode)
                .adaptiveSpin(Duration.ofNanos(Long.getLong("rapace.bench.adaptiveSpinNanos", 50_000)))
                .sendTimeout(Duration.ofSeconds(60)).build();
        Session s = Session.connect(seg, sock, config, (session, frame) -> {
            int type = frame.methodId();
            if (type == 1 || type == 4) {
                try {
                    session.send(frame.channelId(), type, FrameFlags.DATA, frame.payload());
                } catch (SendTimeoutException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        say("READY " + s.backend());
        s.closed().get();
        System.exit(0);
    }

    private static void agrona(Path file, int ringBytes) throws IOException {
        OneToOneRingBuffer[] rings = AgronaRings.map(file, ringBytes);
        OneToOneRingBuffer in = rings[0];
        OneToOneRingBuffer out = rings[1];
        say("READY agrona");
        while (true) {
            int n = in.read((type, buffer, index, length) -> {
                if (type == 1 || type == 4) {
                    while (!out.write(type, buffer, index, length)) {
                        Thread.onSpinWait();
                    }
                } else if (type == 9) {
                    System.exit(0);
                }
            }, 64);
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static void uds(Path sock) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            say("READY uds");
            ByteBuffer header = ByteBuffer.allocateDirect(8);
            ByteBuffer body = ByteBuffer.allocateDirect(1 << 20);
            while (true) {
                header.clear();
                if (!Uds.readFully(ch, header)) {
                    return;
                }
                int type = header.getInt(0);
                int len = header.getInt(4);
                body.clear().limit(len);
                if (!Uds.readFully(ch, body)) {
                    return;
                }
                if (type == 1 || type == 4) {
                    header.flip();
                    body.flip();
                    ch.write(new ByteBuffer[] {header, body});
                    while (header.hasRemaining() || body.hasRemaining()) {
                        ch.write(new ByteBuffer[] {header, body});
                    }
                }
            }
        }
    }

    private static void idleHost() throws Exception {
        Session.Listening l = Session.listen(SessionConfig.defaults());
        say("PATHS " + l.segmentPath() + " " + l.socketPath());
        Session s = l.accept((session, frame) -> { }, Duration.ofSeconds(60));
        say("READY " + s.backend());
        s.closed().get();
        System.exit(0);
    }

    private static void idlePlugin(Path seg, Path sock) throws Exception {
        Session s = Session.connect(seg, sock, SessionConfig.defaults(), (session, frame) -> { });
        say("READY " + s.backend());
        s.closed().get();
        System.exit(0);
    }

    /**
     * A JVM whose one extra thread only parks for 100 ms in a loop: the floor of any 100 ms heartbeat, whatever
     * the beat does.
     */
    private static void bareTimer() throws Exception {
        Thread t = new Thread(() -> {
            while (true) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
        }, "bare-timer");
        t.setDaemon(true);
        t.start();
        say("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
