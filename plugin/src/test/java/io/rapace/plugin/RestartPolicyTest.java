package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.plugin.RestartPolicy.Restart;
import io.rapace.plugin.RestartPolicy.Stay;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    private long now = 1_000_000_000L;

    private RestartPolicy.Tracker tracker(RestartPolicy policy) {
        return policy.newTracker(() -> now);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void neverLeavesAFailedPluginCrashedAndAStoppedOneStopped() {
        RestartPolicy.Tracker tracker = tracker(RestartPolicy.never());
        assertEquals(new Stay(PluginState.CRASHED, "plugin failed (exit code 3); not restarting: the restart policy "
                + "is never"), tracker.onExit(true, "exit code 3"));
        assertEquals(new Stay(PluginState.STOPPED, "plugin ended normally (exit code 0); not restarting"),
                tracker.onExit(false, "exit code 0"));
    }

    @Test
    void onFailureNeverRestartsANormalExit() {
        RestartPolicy.Tracker tracker = tracker(RestartPolicy.onFailure());
        assertEquals(new Stay(PluginState.STOPPED, "plugin ended normally (shut down); not restarting"),
                tracker.onExit(false, "shut down"));
        assertEquals(0, tracker.recentRestarts());
    }

    @Test
    void backOffGrowsByTheMultiplierUpToTheMaximum() {
        RestartPolicy policy = RestartPolicy.onFailure(Duration.ofMillis(100), 3.0, Duration.ofSeconds(2), 10,
                Duration.ofMinutes(1));
        RestartPolicy.Tracker tracker = tracker(policy);
        long[] expectedMillis = {100, 300, 900, 2000, 2000};
        for (int i = 0; i < expectedMillis.length; i++) {
            assertEquals(new Restart(Duration.ofMillis(expectedMillis[i]), i + 1), tracker.onExit(true, "crash"));
            advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void beyondTheRateTheFailureIsFinalWithTheReason() {
        RestartPolicy policy = RestartPolicy.onFailure(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), 3,
                Duration.ofSeconds(60));
        RestartPolicy.Tracker tracker = tracker(policy);
        for (int i = 0; i < 3; i++) {
            assertEquals(Restart.class, tracker.onExit(true, "exit code 1").getClass());
            advance(Duration.ofSeconds(5));
        }
        assertEquals(new Stay(PluginState.CRASHED, "plugin failed (exit code 1); not restarting: it was restarted 3 "
                + "times within the last 60 s, the most the policy allows (on-failure (delay 100 ms x2.0 up to 10 s, "
                + "at most 3 restarts in 60 s))"), tracker.onExit(true, "exit code 1"));
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCountAndTheBackOffStartsOver() {
        RestartPolicy policy = RestartPolicy.onFailure(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), 2,
                Duration.ofSeconds(60));
        RestartPolicy.Tracker tracker = tracker(policy);
        assertEquals(new Restart(Duration.ofMillis(100), 1), tracker.onExit(true, "crash"));
        advance(Duration.ofSeconds(30));
        assertEquals(new Restart(Duration.ofMillis(200), 2), tracker.onExit(true, "crash"));
        advance(Duration.ofSeconds(29));
        assertEquals(Stay.class, tracker.onExit(true, "crash").getClass());
        // 60 s after the first restart, it drops out of the window: one restart left to count.
        advance(Duration.ofSeconds(1));
        assertEquals(new Restart(Duration.ofMillis(200), 2), tracker.onExit(true, "crash"));
        advance(Duration.ofMinutes(5));
        assertEquals(new Restart(Duration.ofMillis(100), 1), tracker.onExit(true, "crash"));
        assertEquals(1, tracker.recentRestarts());
    }

    @Test
    void aHugeMultiplierStaysAtTheMaximum() {
        RestartPolicy.Tracker tracker = tracker(RestartPolicy.onFailure(Duration.ofSeconds(1), 1e300,
                Duration.ofSeconds(30), 5, Duration.ofMinutes(1)));
        tracker.onExit(true, "crash");
        assertEquals(new Restart(Duration.ofSeconds(30), 2), tracker.onExit(true, "crash"));
        assertEquals(new Restart(Duration.ofSeconds(30), 3), tracker.onExit(true, "crash"));
    }

    @Test
    void rejectsParametersThatMakeNoSenseNamingThem() {
        Duration s = Duration.ofSeconds(1);
        assertEquals("initialDelay is negative: PT-1S", assertThrows(IllegalArgumentException.class,
                () -> RestartPolicy.onFailure(s.negated(), 2, s, 1, s)).getMessage());
        assertEquals("multiplier must be a finite number of at least 1, not 0.5", assertThrows(
                IllegalArgumentException.class, () -> RestartPolicy.onFailure(s, 0.5, s, 1, s)).getMessage());
        assertEquals("multiplier must be a finite number of at least 1, not NaN", assertThrows(
                IllegalArgumentException.class, () -> RestartPolicy.onFailure(s, Double.NaN, s, 1, s)).getMessage());
        assertEquals("maxDelay PT0.5S is shorter than initialDelay PT1S", assertThrows(IllegalArgumentException.class,
                () -> RestartPolicy.onFailure(s, 2, Duration.ofMillis(500), 1, s)).getMessage());
        assertEquals("maxRestarts must be at least 1, not 0 (use RestartPolicy.never() for no restarts)",
                assertThrows(IllegalArgumentException.class, () -> RestartPolicy.onFailure(s, 2, s, 0, s))
                        .getMessage());
        assertEquals("window must be positive, not PT0S", assertThrows(IllegalArgumentException.class,
                () -> RestartPolicy.onFailure(s, 2, s, 1, Duration.ZERO)).getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("never", RestartPolicy.never().toString());
        assertEquals("on-failure (delay 100 ms x2.0 up to 10 s, at most 5 restarts in 60 s)",
                RestartPolicy.onFailure().toString());
        assertEquals("1.5 s", RestartPolicy.format(Duration.ofMillis(1500)));
        assertEquals("0.25 ms", RestartPolicy.format(Duration.ofNanos(250_000)));
    }
}
