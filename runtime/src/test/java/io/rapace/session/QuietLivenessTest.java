package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.shm.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The liveness cadence of DESIGN 6 between two sessions of this JVM (a host and a plugin side on one real segment and
 * socket): quiet when nothing waits on the peer, the heartbeat slows to a fifth; a call starting brings back the fast
 * beat at once. Beats are counted through the peer's epoch, which only beats and sends move. Bounds are generous
 * (beat counts, never speed targets); every wait is bounded by a guard.
 */
class QuietLivenessTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    @Test
    void aQuietSessionBeatsSlowlyAndACallStartingBringsBackTheFastBeat() throws Exception {
        // 20 ms beats, 400 ms timeout: quiet after 10 beats (200 ms), then a beat every 100 ms, 2 s allowed
        SessionConfig config = SessionConfig.builder().heartbeatInterval(Duration.ofMillis(20))
                .peerTimeout(Duration.ofMillis(400)).build();
        AtomicBoolean waiting = new AtomicBoolean();
        SessionListener listener = new SessionListener() {
            @Override
            public void onFrame(Session session, Frame frame) {
            }

            @Override
            public boolean waitingOnPeer(Session session) {
                return waiting.get();
            }
        };
        Session.Listening listening = Session.listen(config);
        CompletableFuture<Session> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return Session.connect(listening.segmentPath(), listening.socketPath(), config, listener);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Session host = listening.accept(listener, GUARD);
        Session plugin = connecting.get(GUARD.toSeconds(), TimeUnit.SECONDS);
        try {
            awaitTrue(() -> host.quietLiveness() && plugin.quietLiveness(), "both sides quiet");
            long quietBeats = beatsOver(host, 1_000);
            assertTrue(quietBeats >= 4 && quietBeats <= 16, "quiet: the plugin beat " + quietBeats
                    + " times in 1 s (every 100 ms expected, not every 20 ms)");

            waiting.set(true);
            host.callStarting();
            plugin.callStarting();
            assertFalse(host.quietLiveness());
            assertFalse(plugin.quietLiveness());
            long fastBeats = beatsOver(host, 1_000);
            assertTrue(fastBeats >= 25, "waiting: the plugin beat " + fastBeats + " times in 1 s (every 20 ms "
                    + "expected)");
            assertTrue(host.isOpen() && plugin.isOpen());
        } finally {
            plugin.close();
            host.close();
        }
    }

    private static long beatsOver(Session observer, long millis) throws InterruptedException {
        long before = observer.peerEpoch();
        Thread.sleep(millis);
        return observer.peerEpoch() - before;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what + " within " + GUARD);
            Thread.sleep(10);
        }
    }
}
