package io.rapace.shm;

/**
 * The metadata of one slot: 8 bytes, eight to a cache line.
 *
 * <pre>
 *   0                   4                   8
 *   +-------------------+-------------------+
 *   | generation u32    | state u32         |     state: 0 free, 1 allocated, 2 in flight
 *   +-------------------+-------------------+
 * </pre>
 *
 * <p>The sender owns a slot from allocation (free to allocated, generation + 1) until it publishes the descriptor
 * that names it (allocated to in flight, before the ring's head is released); the receiver owns it from then until
 * it frees it (in flight to free, before the index goes on the free list). A descriptor is honoured only if its
 * generation equals the slot's and the slot is in flight, which catches stale and duplicated references.
 */
final class SlotMeta {
    static final int GENERATION_OFFSET = 0;
    static final int STATE_OFFSET = 4;
    static final int LENGTH = 8;

    static final int STATE_FREE = 0;
    static final int STATE_ALLOCATED = 1;
    static final int STATE_IN_FLIGHT = 2;

    private SlotMeta() {
    }
}
