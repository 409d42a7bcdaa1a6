package io.rapace.shm;

/**
 * The header of one SPSC descriptor ring: 256 bytes, four cache lines, so the producer's and the consumer's hot
 * fields never share a line. The {@code capacity} descriptors ({@link Descriptor}, 64 bytes each) follow it.
 *
 * <pre>
 *   0                      64                     128                    192                    256
 *   +----------------------+----------------------+----------------------+----------------------+------
 *   | visible_head u64     | tail u64             | capacity u32         | consumer_sleeping u32| descriptor 0,
 *   | (producer's line)    | (consumer's line)    | (read-only after     | (consumer sets 1,    | 1, ...
 *   |                      |                      |  creation)           |  producer flips to 0)| capacity - 1
 *   +----------------------+----------------------+----------------------+----------------------+------
 * </pre>
 *
 * <p>Positions are u64 counters that never wrap in practice; descriptor {@code i} lives at
 * {@code LENGTH + (position & (capacity - 1)) * Descriptor.LENGTH}. The ring is full when
 * {@code head - tail == capacity} and empty when {@code head == tail}. Any other difference means the peer wrote
 * garbage into a position and the session ends.
 */
final class RingHeader {
    static final int VISIBLE_HEAD_OFFSET = 0;
    static final int TAIL_OFFSET = 64;
    static final int CAPACITY_OFFSET = 128;
    static final int CONSUMER_SLEEPING_OFFSET = 192;
    static final int LENGTH = 256;

    /** Smallest and largest ring capacity accepted (both powers of two). */
    static final int MIN_CAPACITY = 2;
    static final int MAX_CAPACITY = 1 << 20;

    private RingHeader() {
    }

    /** Bytes of a whole ring: the header and {@code capacity} descriptors. */
    static long ringLength(int capacity) {
        return LENGTH + (long) capacity * Descriptor.LENGTH;
    }

    /** Offset, from the start of the ring, of the descriptor at {@code position}. */
    static int descriptorOffset(long position, int capacity) {
        return LENGTH + (int) (position & (capacity - 1)) * Descriptor.LENGTH;
    }
}
