package io.rapace.shm;

/**
 * The header of one slot pool, followed by the rest of its free-list state (the free ring), its slot metadata
 * and its data. One pool per direction: its sender allocates from it, its receiver frees into it.
 *
 * <pre>
 *   0                      64                     128       132       136                    192
 *   +----------------------+----------------------+---------+---------+----------------------+
 *   | free_head u64        | free_tail u64        | slot_   | slot_   | reserved             |
 *   | (freeing peer's line)| (allocating peer's)  | count   | size    |                      |
 *   +----------------------+----------------------+---------+---------+----------------------+
 *  192: free ring, slot_count u32 slot indices, padded to 64 bytes
 *       then slot metadata, slot_count entries of 8 bytes ({@link SlotMeta}), padded to 64 bytes
 *       then data, slot_count slots of slot_size bytes (slot_size a multiple of 64)
 * </pre>
 *
 * <p>The free list is an SPSC queue of slot indices: the freeing peer (the receiver) is its producer and the
 * allocating peer (the sender) its consumer, so it is safe across two processes without a lock or a CAS. The
 * creator fills it with every index ({@code free_head = slot_count}, {@code free_tail = 0}). Entry {@code n} of the
 * queue lives in free ring entry {@code n % slot_count}; the queue can never hold more than {@code slot_count}
 * indices, so {@code free_head - free_tail} outside {@code [0, slot_count]} means the peer wrote garbage.
 *
 * <p>Publication: the freer stores {@code state = free} in the slot's metadata, writes the index into the free
 * ring, then stores {@code free_head} with release; the allocator reads {@code free_head} with acquire, then the
 * entry, then publishes {@code free_tail} with release.
 */
final class SlotPoolHeader {
    static final int FREE_HEAD_OFFSET = 0;
    static final int FREE_TAIL_OFFSET = 64;
    static final int SLOT_COUNT_OFFSET = 128;
    static final int SLOT_SIZE_OFFSET = 132;
    static final int RESERVED_OFFSET = 136;
    static final int LENGTH = 192;
    static final int FREE_RING_OFFSET = LENGTH;
    static final int FREE_RING_ENTRY_LENGTH = 4;

    static final int MIN_SLOT_COUNT = 1;
    static final int MAX_SLOT_COUNT = 1 << 16;
    static final int MIN_SLOT_SIZE = 64;
    static final int MAX_SLOT_SIZE = 1 << 26;
    static final int SLOT_SIZE_ALIGNMENT = 64;

    private SlotPoolHeader() {
    }

    /** Offset, from the pool's start, of free ring entry {@code i}. */
    static int freeRingEntryOffset(int i) {
        return FREE_RING_OFFSET + i * FREE_RING_ENTRY_LENGTH;
    }

    /** Offset, from the pool's start, of the slot metadata array. */
    static long slotMetaOffset(int slotCount) {
        return FREE_RING_OFFSET + SegmentLayout.align64((long) slotCount * FREE_RING_ENTRY_LENGTH);
    }

    /** Offset, from the pool's start, of slot 0's data. */
    static long slotDataOffset(int slotCount) {
        return slotMetaOffset(slotCount) + SegmentLayout.align64((long) slotCount * SlotMeta.LENGTH);
    }

    /** Bytes of a whole pool. */
    static long poolLength(int slotCount, int slotSize) {
        return slotDataOffset(slotCount) + (long) slotCount * slotSize;
    }
}
