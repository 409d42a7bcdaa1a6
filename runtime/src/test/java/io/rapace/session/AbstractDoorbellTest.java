package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.ShmFiles;
import io.rapace.shm.ShmTransport;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The doorbell's write side never blocks, whatever the peer does with its end.
 * Run once per memory backend: the raw peer maps the segment and reads and writes its rings.
 */
abstract class AbstractDoorbellTest implements io.rapace.shm.MemoryBackendTest {

    @org.junit.jupiter.api.BeforeEach
    void selectBackend() {
        useBackend();
    }

    @AfterEach
    void nothingLeft() {
        io.rapace.shm.MemoryBackendTest.restoreDefault();
        assertEquals(List.of(), ShmFiles.leftByThisProcess());
    }

    /**
     * A raw peer consumes every frame but, after each one, declares itself asleep and never reads its doorbell: the
     * host rings once per frame, far more bytes than a socket buffer holds. With a blocking doorbell the host's
     * sends would hang once the buffer filled; here they all go through.
     */
    @Test
    @Timeout(120)
    void aPeerThatNeverReadsItsDoorbellCannotBlockSends() throws Exception {
        int frames = 50_000;
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        assertEquals(backend(), listening.backend());
        AtomicLong consumed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try {
                Segment segment = Segment.attach(listening.segmentPath());
                try (SocketChannel in = SocketChannel.open(UnixDomainSocketAddress.of(listening.socketPath()));
                        SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(listening.socketPath()))) {
                    SocketDoorbell doorbell = new SocketDoorbell(in, out);
                    ShmTransport t = ShmTransport.open(segment, PeerRole.PEER_B, 1 << 20, doorbell::ring);
                    Hello hello = new Hello(1, 0, PeerRole.PEER_B, 0, 1 << 20, "deaf", 1, List.of());
                    t.send(0, ControlVerb.HELLO, FrameFlags.CONTROL, 0, hello::encode, 1, TimeUnit.SECONDS);
                    FrameHandler count = new FrameHandler() {
                        @Override
                        public void onFrame(Frame f) {
                            if (f.channelId() != 0) {
                                consumed.incrementAndGet();
                            }
                        }
                    };
                    while (!stop.get()) {
                        t.poll(count, 64);
                        t.beat();
                        t.prepareToSleep(); // and never read `in`
                        Thread.onSpinWait();
                    }
                } finally {
                    segment.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Session host = listening.accept((s, f) -> { }, Duration.ofSeconds(30));
        try {
            int channel = host.openChannel();
            ByteBuffer payload = ByteBuffer.wrap(new byte[8]);
            for (int i = 0; i < frames; i++) {
                host.send(channel, 1, FrameFlags.DATA, payload);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumed.get() < frames && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertEquals(frames, consumed.get());
            assertTrue(host.isOpen());
        } finally {
            stop.set(true);
            peer.get(30, TimeUnit.SECONDS);
            host.close();
        }
    }
}
