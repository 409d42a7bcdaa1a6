package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.CloseCause;
import io.rapace.session.FrameListener;
import io.rapace.session.GoAway;
import io.rapace.shm.Frame;
import io.rapace.shm.FrameFlags;
import io.rapace.shm.MessageTooLargeException;
import io.rapace.shm.PeerRole;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory pair under the loopback: what it carries, in which order, and how it ends. */
@Timeout(30)
class InMemoryTransportTest {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger number = new AtomicInteger();
    private final ThreadFactory factory = runnable -> {
        Thread thread = new Thread(runnable, "pair-test-reader-" + number.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    };
    private final Recorder atA = new Recorder();
    private final Recorder atB = new Recorder();
    private InMemoryTransport a;
    private InMemoryTransport b;

    private void start(int maxA, int maxB) {
        InMemoryTransport[] pair = InMemoryTransport.pair("client", "server", maxA, maxB, factory);
        a = pair[0];
        b = pair[1];
        a.start(atA);
        b.start(atB);
    }

    @AfterEach
    void closeAndJoin() throws Exception {
        if (a != null) {
            a.closePair("the test ended");
        }
        for (Thread thread : threads) {
            if (thread.getState() != Thread.State.NEW) {
                thread.join(5_000);
                assertFalse(thread.isAlive(), thread.getName() + " still runs");
            }
        }
    }

    @Test
    void framesArriveInTheOrderSentWithTheirFieldsAndBytes() throws Exception {
        start(1024, 1024);
        for (int i = 0; i < 100; i++) {
            int n = i;
            assertEquals(4, a.sendFrame(1, 42, FrameFlags.DATA, n, w -> w.writeFixint32Le(n), 0));
        }
        for (int i = 0; i < 100; i++) {
            Received frame = atB.frames.poll(5, TimeUnit.SECONDS);
            assertEquals(1, frame.channelId);
            assertEquals(42, frame.methodId);
            assertEquals(FrameFlags.DATA, frame.flags);
            assertEquals(i, frame.creditGrant);
            assertEquals(i, frame.firstInt);
            assertTrue(frame.readOnly);
            assertEquals(ByteOrder.LITTLE_ENDIAN, frame.order);
        }
        assertTrue(atB.threadNames.stream().allMatch(name -> name.startsWith("pair-test-reader-")),
                atB.threadNames.toString());
    }

    @Test
    void rolesParityAndPeerIds() {
        start(1024, 1024);
        assertEquals(PeerRole.PEER_A, a.role());
        assertEquals(PeerRole.PEER_B, b.role());
        assertEquals("server", a.peerId());
        assertEquals("client", b.peerId());
        assertEquals(List.of(1, 3, 5), List.of(a.openChannel(), a.openChannel(), a.openChannel()));
        assertEquals(List.of(2, 4), List.of(b.openChannel(), b.openChannel()));
    }

    @Test
    void exhaustedChannelIdsCloseTheTransport() throws Exception {
        start(1024, 1024);
        a.nextChannel(0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFF, a.openChannel());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::openChannel);
        assertEquals("channel ids are exhausted (u32); the session is closing with GoAway", e.getMessage());
        assertFalse(a.isOpen());
        assertEquals("LOCAL_CLOSE closed by this side", atA.closed.poll(5, TimeUnit.SECONDS));
        assertEquals("PEER_GOAWAY the peer closed", atB.closed.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aMessageOverTheMaximumIsRefusedWithTheSessionsText() {
        start(64, 64);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> a.sendFrame(1, 1, FrameFlags.DATA, 0, w -> w.writeBytes(new byte[70]), 0));
        assertEquals("message of 71 bytes exceeds the maximum message size of 64 bytes", e.getMessage());
        assertEquals(71, e.size());
        assertEquals(64, e.limit());
        assertFalse(e.peersLimit());
    }

    @Test
    void aMessageOverThePeersMaximumIsRefusedWithTheSessionsText() {
        start(1024, 64);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> a.sendFrame(1, 1, FrameFlags.DATA, 0, w -> w.writeBytes(new byte[70]), 0));
        assertEquals("message of 71 bytes exceeds the peer's maximum message size of 64 bytes (from its Hello)",
                e.getMessage());
        assertTrue(e.peersLimit());
    }

    @Test
    void channelZeroCarriesOnlyIntrospectionVerbs() throws Exception {
        start(1024, 1024);
        assertEquals("channel 0 carries session verbs only", assertThrows(IllegalArgumentException.class,
                () -> a.sendFrame(0, 7, 0, 0, w -> { }, 0)).getMessage());
        assertEquals("not a verb of the RPC layer (7..12): 5", assertThrows(IllegalArgumentException.class,
                () -> a.sendVerb(5, 0, w -> { }, 0)).getMessage());
        a.sendVerb(8, FrameFlags.EOS, w -> w.writeU64(9), 0);
        Received verb = atB.frames.poll(5, TimeUnit.SECONDS);
        assertEquals(0, verb.channelId);
        assertEquals(8, verb.methodId);
        assertEquals(FrameFlags.EOS | FrameFlags.CONTROL, verb.flags);
    }

    @Test
    void goAwayReachesThePeerOnce() throws Exception {
        start(1024, 1024);
        a.goAway("draining");
        a.goAway("again");
        assertEquals(new GoAway(0, "draining"), atB.goAways.poll(5, TimeUnit.SECONDS));
        a.sendFrame(1, 1, FrameFlags.DATA, 0, w -> { }, 0); // calls in flight go on
        assertEquals(1, atB.frames.poll(5, TimeUnit.SECONDS).channelId);
        assertTrue(atB.goAways.isEmpty());
    }

    @Test
    void closingThePairTellsBothListenersOnceAndRefusesLaterSends() throws Exception {
        start(1024, 1024);
        a.closePair("the loopback was closed");
        a.closePair("again");
        b.close();
        assertEquals("LOCAL_CLOSE the loopback was closed", atA.closed.poll(5, TimeUnit.SECONDS));
        assertEquals("LOCAL_CLOSE the loopback was closed", atB.closed.poll(5, TimeUnit.SECONDS));
        assertTrue(atA.closed.isEmpty() && atB.closed.isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.sendFrame(2, 1, FrameFlags.DATA, 0, w -> { }, 0));
        assertEquals("session closed (LOCAL_CLOSE): the loopback was closed", e.getMessage());
        assertEquals(CloseCause.LOCAL_CLOSE, b.closeCause());
        for (Thread thread : threads) {
            thread.join(5_000);
            assertFalse(thread.isAlive());
        }
    }

    @Test
    void killedEndIsThePeersDeath() throws Exception {
        start(1024, 1024);
        b.kill();
        assertEquals("END_OF_STREAM the peer's end was killed", atA.closed.poll(5, TimeUnit.SECONDS));
        assertTrue(a.closeCause().isPeerDeath());
        assertFalse(b.closeCause().isPeerDeath());
    }

    @Test
    void theSenderNeverDelivers() throws Exception {
        start(1024, 1024);
        a.sendFrame(1, 1, FrameFlags.DATA, 0, w -> { }, 0);
        atB.frames.poll(5, TimeUnit.SECONDS);
        assertFalse(atB.threadNames.contains(Thread.currentThread().getName()));
    }

    private record Received(int channelId, int methodId, int flags, int creditGrant, int firstInt, boolean readOnly,
            ByteOrder order) {
    }

    private static final class Recorder implements FrameListener {
        final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<GoAway> goAways = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        final List<String> threadNames = new ArrayList<>();

        @Override
        public synchronized void onFrame(Frame frame) {
            threadNames.add(Thread.currentThread().getName());
            int first = frame.payload().remaining() >= 4 ? frame.payload().getInt(frame.payload().position()) : -1;
            frames.add(new Received(frame.channelId(), frame.methodId(), frame.flags(), frame.creditGrant(), first,
                    frame.payload().isReadOnly(), frame.payload().order()));
        }

        @Override
        public void onGoAway(GoAway goAway) {
            goAways.add(goAway);
        }

        @Override
        public void onClosed(CloseCause cause, String detail) {
            closed.add(cause + " " + detail);
        }
    }
}
