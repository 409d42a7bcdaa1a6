package io.rapace.config;


/** How the reader thread waits for frames. */
public enum WakeMode {
    /**
     * Spin for {@link SessionConfig.Builder#spin} (a couple of microseconds), then sleep on the doorbell: an idle
     * session costs no CPU. The default.
     */
    BLOCKING,
    /** Never sleep: the reader spins on the ring and one core stays busy, for the lowest latency. */
    SPIN
}
