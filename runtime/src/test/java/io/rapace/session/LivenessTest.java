package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long MS = 1_000_000;
    private static final long TIMEOUT = 1000 * MS;

    @Test
    void aPeerWhoseWordsNeverChangeIsDeadAfterTheTimeoutOnTheObserversClock() {
        Liveness live = new Liveness();
        assertFalse(live.observe(5, 123, 0, TIMEOUT));
        assertFalse(live.observe(5, 123, 999 * MS, TIMEOUT));
        assertTrue(live.observe(5, 123, 1000 * MS, TIMEOUT));
        assertEquals(1000 * MS, live.unchangedFor(1000 * MS));
    }

    @Test
    void anyChangeOfEpochOrLastSeenResetsTheClock() {
        Liveness live = new Liveness();
        live.observe(1, 10, 0, TIMEOUT);
        assertFalse(live.observe(2, 10, 900 * MS, TIMEOUT));
        assertFalse(live.observe(2, 11, 1800 * MS, TIMEOUT));
        assertFalse(live.observe(2, 11, 2700 * MS, TIMEOUT));
        assertTrue(live.observe(2, 11, 2800 * MS, TIMEOUT));
    }

    @Test
    void thePeersClockIsNeverComparedWithOurs() {
        Liveness live = new Liveness();
        // The peer's last_seen is far in "our" past or future: only whether it changes matters.
        live.observe(1, Long.MIN_VALUE, 5 * MS, TIMEOUT);
        assertFalse(live.observe(2, Long.MIN_VALUE + 1, 6 * MS, TIMEOUT));
        assertFalse(live.observe(3, Long.MAX_VALUE, 1005 * MS, TIMEOUT));
    }

    @Test
    void anObserverThatStalledSeesTheBeatsItMissedAsLife() {
        Liveness live = new Liveness();
        live.observe(1, 100, 0, TIMEOUT);
        // This process was paused for 5 s while the peer kept beating.
        assertFalse(live.observe(51, 5100, 5000 * MS, TIMEOUT));
    }

    @Test
    void aQuietPeerIsAllowedALongerSilenceAndARestartGivesItAWholeShortTimeout() {
        Liveness live = new Liveness();
        live.observe(1, 100, 0, TIMEOUT);
        // quiet: 5 s allowed, the peer beats every 500 ms; here it last beat at 0
        assertFalse(live.observe(1, 100, 4000 * MS, 5 * TIMEOUT));
        // a call starts at 4.4 s: the short timeout counts from then, not from the peer's last beat
        live.restart(4400 * MS);
        assertFalse(live.observe(1, 100, 5000 * MS, TIMEOUT));
        assertTrue(live.observe(1, 100, 5400 * MS, TIMEOUT));
    }
}
