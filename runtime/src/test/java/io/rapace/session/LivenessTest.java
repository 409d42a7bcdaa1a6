package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long MS = 1_000_000;

    @Test
    void aPeerWhoseWordsNeverChangeIsDeadAfterTheTimeoutOnTheObserversClock() {
        Liveness live = new Liveness(1000 * MS);
        assertFalse(live.observe(5, 123, 0));
        assertFalse(live.observe(5, 123, 999 * MS));
        assertTrue(live.observe(5, 123, 1000 * MS));
        assertEquals(1000 * MS, live.unchangedFor(1000 * MS));
    }

    @Test
    void anyChangeOfEpochOrLastSeenResetsTheClock() {
        Liveness live = new Liveness(1000 * MS);
        live.observe(1, 10, 0);
        assertFalse(live.observe(2, 10, 900 * MS));
        assertFalse(live.observe(2, 11, 1800 * MS));
        assertFalse(live.observe(2, 11, 2700 * MS));
        assertTrue(live.observe(2, 11, 2800 * MS));
    }

    @Test
    void thePeersClockIsNeverComparedWithOurs() {
        Liveness live = new Liveness(1000 * MS);
        // The peer's last_seen is far in "our" past or future: only whether it changes matters.
        live.observe(1, Long.MIN_VALUE, 5 * MS);
        assertFalse(live.observe(2, Long.MIN_VALUE + 1, 6 * MS));
        assertFalse(live.observe(3, Long.MAX_VALUE, 1005 * MS));
    }

    @Test
    void anObserverThatStalledSeesTheBeatsItMissedAsLife() {
        Liveness live = new Liveness(1000 * MS);
        live.observe(1, 100, 0);
        // This process was paused for 5 s while the peer kept beating.
        assertFalse(live.observe(51, 5100, 5000 * MS));
    }
}
