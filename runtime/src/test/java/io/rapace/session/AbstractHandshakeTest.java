package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.codec.PostcardReader;
import io.rapace.config.SessionConfig;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.FrameHandler;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.ShmFiles;
import io.rapace.shm.ShmTransport;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A raw peer in this JVM sends a wrong Hello; the host refuses it with GoAway and a clear error.
 * Run once per memory backend: the raw peer maps the segment and reads and writes its rings.
 */
abstract class AbstractHandshakeTest implements io.rapace.shm.MemoryBackendTest {

    @org.junit.jupiter.api.BeforeEach
    void selectBackend() {
        useBackend();
    }

    @AfterEach
    void nothingLeft() {
        io.rapace.shm.MemoryBackendTest.restoreDefault();
        assertEquals(List.of(), ShmFiles.leftByThisProcess());
    }

    /** Connects as PeerB by hand, sends {@code hello}, and returns the GoAway reason the host answers with. */
    private static String rawPeer(Session.Listening listening, Hello hello) throws Exception {
        Segment segment = Segment.attach(listening.segmentPath());
        try (SocketChannel in = SocketChannel.open(UnixDomainSocketAddress.of(listening.socketPath()));
                SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(listening.socketPath()))) {
            SocketDoorbell doorbell = new SocketDoorbell(in, out);
            ShmTransport t = ShmTransport.open(segment, PeerRole.PEER_B, 1 << 20, doorbell::ring);
            t.send(0, ControlVerb.HELLO, FrameFlags.CONTROL, 0, hello::encode, 1, TimeUnit.SECONDS);
            CompletableFuture<String> goAway = new CompletableFuture<>();
            FrameHandler h = new FrameHandler() {
                @Override
                public void onFrame(Frame f) {
                    if (f.methodId() == ControlVerb.GO_AWAY) {
                        try {
                            goAway.complete(GoAway.decode(PostcardReader.of(f.payload())).reason());
                        } catch (Exception e) {
                            goAway.completeExceptionally(e);
                        }
                    }
                }
            };
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!goAway.isDone() && System.nanoTime() < until) {
                t.poll(h, 16);
                Thread.sleep(1);
            }
            return goAway.get(1, TimeUnit.SECONDS);
        } finally {
            segment.close();
        }
    }

    private void refuses(Hello hello, String reason) throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        assertEquals(backend(), listening.backend());
        CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
            try {
                return rawPeer(listening, hello);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SessionException e = assertThrows(SessionException.class,
                () -> listening.accept((s, f) -> { }, Duration.ofSeconds(30)));
        assertEquals("handshake failed: " + reason, e.getMessage());
        assertEquals(reason, peer.get(30, TimeUnit.SECONDS));
    }

    @Test
    void refusesAnotherMajorVersion() throws Exception {
        refuses(new Hello(2, 5, PeerRole.PEER_B, 0, 1 << 20, "x", 1, List.of()),
                "the peer speaks protocol 2.5 but this side speaks 1.1");
    }

    @Test
    void refusesAPeerInTheSameRole() throws Exception {
        refuses(new Hello(1, 0, PeerRole.PEER_A, 0, 1 << 20, "x", 1, List.of()),
                "the peer says it is PEER_A but this side is PEER_A too");
    }

    @Test
    void anAcceptWithoutAPluginTimesOutAndReclaimsTheFiles() throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        assertEquals(backend(), listening.backend());
        SessionException e = assertThrows(SessionException.class,
                () -> listening.accept((s, f) -> { }, Duration.ofMillis(50)));
        assertEquals("no plugin connected to " + listening.socketPath() + " within 50 ms", e.getMessage());
    }
}
