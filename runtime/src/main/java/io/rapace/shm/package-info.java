/**
 * The shared-memory transport: one segment per session (segment header, two SPSC descriptor rings, two slot pools),
 * the memory seam with its two backends, frame validation, and splitting and reassembly of messages larger than a
 * slot.
 *
 * <p>Owns every byte offset of the segment: the layout classes ({@link io.rapace.shm.SegmentHeader},
 * {@link io.rapace.shm.RingHeader}, {@link io.rapace.shm.Descriptor}, {@link io.rapace.shm.SlotPoolHeader},
 * {@link io.rapace.shm.SlotMeta}) are the only places that spell one out, and {@link io.rapace.shm.SegmentLayout}
 * maps the whole file. Everything read from the peer is untrusted and validated here before a payload byte is
 * touched.
 *
 * <p>May import {@code io.rapace.codec}, {@code io.rapace.config} (the {@code SegmentGeometry} users choose, the
 * default {@code Limits}) and the JDK; chronicle-core only from {@code ChronicleMemory}, which is loaded reflectively
 * and only when {@code -Drapace.memory=chronicle} asks for it. Knows nothing of sessions, handshakes, doorbells or
 * calls ({@code io.rapace.session} and above).
 *
 * <p>Not exported from the {@code io.rapace.runtime} module, except to {@code io.rapace.plugin}, which checks the
 * segment directory with {@link io.rapace.shm.Segment} and words a stat file's magic as
 * {@link io.rapace.shm.SegmentHeader#describeMagic} does.
 */
package io.rapace.shm;
