package io.rapace.config;

import io.rapace.shm.Segment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a session can be told; {@link #defaults()} gives the documented numbers ({@code docs/operations.md}): the seed's geometry, 16 MiB
 * messages, a 100 ms heartbeat, a 1 s peer timeout, a 2 us spin before sleeping (50 us right after a
 * back-to-back exchange), a 5 s send timeout.
 */
public final class SessionConfig {
    private final SegmentGeometry geometry;
    private final Path directory;
    private final int maxMessageSize;
    private final Duration heartbeatInterval;
    private final Duration peerTimeout;
    private final Duration spin;
    private final Duration adaptiveSpin;
    private final WakeMode wakeMode;
    private final Duration sendTimeout;
    private final Duration handshakeTimeout;
    private final String peerId;
    private final List<Integer> methods;
    private final Map<Integer, Long> fingerprints;
    private final boolean frameChecksums;

    private SessionConfig(Builder b) {
        this.geometry = b.geometry;
        this.directory = b.directory;
        this.maxMessageSize = b.maxMessageSize;
        this.heartbeatInterval = b.heartbeatInterval;
        this.peerTimeout = b.peerTimeout;
        this.spin = b.spin;
        this.adaptiveSpin = b.adaptiveSpin;
        this.wakeMode = b.wakeMode;
        this.sendTimeout = b.sendTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.peerId = b.peerId;
        this.methods = List.copyOf(b.methods);
        this.fingerprints = Map.copyOf(b.fingerprints);
        this.frameChecksums = b.frameChecksums;
    }

    /** A copy of this configuration announcing {@code methodIds} as the methods this side serves. */
    public SessionConfig withMethods(List<Integer> methodIds) {
        return withMethods(methodIds, Map.of());
    }

    /**
     * A copy of this configuration announcing {@code methodIds} as the methods this side serves, and
     * {@code fingerprints} as their schema fingerprints (by id; a method without one is left out).
     */
    public SessionConfig withMethods(List<Integer> methodIds, Map<Integer, Long> fingerprints) {
        Builder b = new Builder();
        b.geometry = geometry;
        b.directory = directory;
        b.maxMessageSize = maxMessageSize;
        b.heartbeatInterval = heartbeatInterval;
        b.peerTimeout = peerTimeout;
        b.spin = spin;
        b.adaptiveSpin = adaptiveSpin;
        b.wakeMode = wakeMode;
        b.sendTimeout = sendTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.peerId = peerId;
        b.methods = List.copyOf(methodIds);
        b.fingerprints = Map.copyOf(fingerprints);
        b.frameChecksums = frameChecksums;
        return new SessionConfig(b);
    }

    public static SessionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SegmentGeometry geometry() {
        return geometry;
    }

    public Path directory() {
        return directory;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration peerTimeout() {
        return peerTimeout;
    }

    public Duration spin() {
        return spin;
    }

    public Duration adaptiveSpin() {
        return adaptiveSpin;
    }

    public WakeMode wakeMode() {
        return wakeMode;
    }

    public Duration sendTimeout() {
        return sendTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public String peerId() {
        return peerId;
    }

    public List<Integer> methods() {
        return methods;
    }

    /** The schema fingerprints of the methods this side serves, by id, sent in its Hello. */
    public Map<Integer, Long> fingerprints() {
        return fingerprints;
    }

    /**
     * Whether this side offers the per-frame integrity check (docs/segment-format.md): when both sides offer it, each
     * frame carries a CRC32C of its payload, channel, method, length and flags that the reader verifies; a frame that
     * fails it fails its call with DATA_LOSS. Off unless set, or unless the system property
     * {@value #FRAME_CHECKSUMS_PROPERTY} or the environment variable {@value #FRAME_CHECKSUMS_ENV} is {@code true} (a
     * plugin host passes its setting to the plugins it starts in that variable).
     */
    public boolean frameChecksums() {
        return frameChecksums;
    }

    /** The system property that turns {@link #frameChecksums()} on by default. */
    public static final String FRAME_CHECKSUMS_PROPERTY = "rapace.frameChecksums";
    /** The environment variable that turns {@link #frameChecksums()} on by default (set by a host for its plugins). */
    public static final String FRAME_CHECKSUMS_ENV = "RAPACE_FRAME_CHECKSUMS";

    /** Builds a {@link SessionConfig}; every setter checks its value. */
    public static final class Builder {
        private SegmentGeometry geometry = SegmentGeometry.DEFAULT;
        private Path directory = Segment.defaultDirectory();
        private int maxMessageSize = Limits.DEFAULT_MAX_MESSAGE_SIZE;
        private Duration heartbeatInterval = Duration.ofMillis(100);
        private Duration peerTimeout = Duration.ofSeconds(1);
        private Duration spin = Duration.ofNanos(2_000);
        private Duration adaptiveSpin = Duration.ofNanos(50_000);
        private WakeMode wakeMode = WakeMode.BLOCKING;
        private Duration sendTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private String peerId = "";
        private List<Integer> methods = List.of();
        private Map<Integer, Long> fingerprints = Map.of();
        private boolean frameChecksums = Boolean.getBoolean(FRAME_CHECKSUMS_PROPERTY)
                || "true".equalsIgnoreCase(System.getenv(FRAME_CHECKSUMS_ENV));

        private Builder() {
        }

        /** Offers the per-frame integrity check ({@link SessionConfig#frameChecksums()}). */
        public Builder frameChecksums(boolean offer) {
            this.frameChecksums = offer;
            return this;
        }

        /** The segment's shape (PeerA only; PeerB reads it from the segment). */
        public Builder geometry(SegmentGeometry geometry) {
            this.geometry = Objects.requireNonNull(geometry, "geometry");
            return this;
        }

        /**
         * Where the segment and the socket are created (PeerA only); by default the directory of the system property
         * {@code rapace.shm.dir}, else {@code /dev/shm} ({@code docs/operations.md}).
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder maxMessageSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max message size must be positive: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeat interval");
            return this;
        }

        /** How long the peer's {@code last_seen} may stay unchanged before it is declared dead. */
        public Builder peerTimeout(Duration timeout) {
            this.peerTimeout = positive(timeout, "peer timeout");
            return this;
        }

        /** How long the reader spins on an empty ring before it sleeps (BLOCKING mode); zero sleeps at once. */
        public Builder spin(Duration spin) {
            if (spin.isNegative()) {
                throw new IllegalArgumentException("spin must not be negative: " + spin);
            }
            this.spin = spin;
            return this;
        }

        /**
         * In BLOCKING mode, when the last frame came within this time of the reader going idle (a back-to-back
         * exchange), the reader spins up to this long instead of {@link #spin} before it sleeps, so a busy
         * conversation stays awake while a paced or quiet one still sleeps after the short spin. Zero turns it off.
         */
        public Builder adaptiveSpin(Duration adaptiveSpin) {
            if (adaptiveSpin.isNegative()) {
                throw new IllegalArgumentException("adaptive spin must not be negative: " + adaptiveSpin);
            }
            this.adaptiveSpin = adaptiveSpin;
            return this;
        }

        public Builder wakeMode(WakeMode mode) {
            this.wakeMode = Objects.requireNonNull(mode, "wake mode");
            return this;
        }

        /** How long a send waits for ring space or a free slot before it fails. */
        public Builder sendTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("send timeout must not be negative: " + timeout);
            }
            this.sendTimeout = timeout;
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshake timeout");
            return this;
        }

        /** This side's identity, sent in its Hello. */
        public Builder peerId(String id) {
            this.peerId = Objects.requireNonNull(id, "peer id");
            return this;
        }

        /** The method ids this side serves, sent in its Hello. */
        public Builder methods(List<Integer> methods) {
            this.methods = List.copyOf(methods);
            return this;
        }

        public SessionConfig build() {
            if (peerTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException("peer timeout " + peerTimeout + " must be longer than the "
                        + "heartbeat interval " + heartbeatInterval);
            }
            return new SessionConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
