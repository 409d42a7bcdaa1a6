package io.rapace.shm;

import io.rapace.codec.PostcardWriter;
import io.rapace.config.SegmentGeometry;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.zip.CRC32C;

/**
 * One peer's end of a segment: it produces into its outbound ring from its own slot pool, and consumes its
 * inbound ring, freeing the peer's slots.
 *
 * <p>Sending is thread-safe (one lock; the parts of a split message are sent under it back to back) and waits, up
 * to the caller's timeout, for ring space and free slots: back-pressure, never unbounded memory. Receiving
 * ({@link #poll}) belongs to one thread. Every descriptor read from the peer is validated before a payload byte is
 * touched; an invalid one is counted per {@link InvalidFrameKind}, logged once per kind and dropped, and
 * {@code poll} never throws because of what the peer wrote.
 */
public final class ShmTransport {
    /** At most this many messages of the peer's may be in reassembly at once. */
    static final int MAX_PARTIAL_MESSAGES = 1024;

    private static final System.Logger LOG = System.getLogger(ShmTransport.class.getName());
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Segment segment;
    private final SegmentMemory mem;
    private final PeerRole role;
    private final int capacity;
    private final int slotCount;
    private final int slotSize;
    private final int maxMessageSize;
    private volatile int peerMaxMessageSize = Integer.MAX_VALUE;
    private final long maxReassemblyBytes;
    private final Runnable doorbell;
    private final String outName;
    private final String inName;

    // ---- producer side (under sendLock)
    private final ReentrantLock sendLock = new ReentrantLock();
    private final int outRing;
    private final int outPool;
    private final int outMeta;
    private final int outData;
    private final ByteBuffer outBuffer;
    /** A second view used only as the source of in-segment copies, so source and destination never alias. */
    private final ByteBuffer outSource;
    private final PostcardWriter slotWriter;
    private long head;
    private long cachedTail;
    private long freeTail;
    private long cachedFreeHead;
    private int spareSlot = -1;
    private long nextMsgId = 1;
    private volatile String sendsAborted;
    /** Frames sent from now on carry a CRC32C ({@link #sendChecksums}); the rest of the send state is the lock's. */
    private volatile boolean checksumsOut;
    private final CRC32C outCrc = new CRC32C();
    private final ByteBuffer outCrcHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer outCrcView;
    /** The current send's timeout and deadline (0 until its first wait: most sends never read the clock). */
    private long sendTimeoutNanos;
    private long sendDeadline;
    /** Set when a send rang the doorbell; the reader reads and clears it (see {@link #rangSinceLastAsked}). */
    private volatile boolean rang;
    /** {@code System.nanoTime()} of the last send that rang the doorbell (see {@link #lastRingNanos}). */
    private volatile long rangAt = System.nanoTime() - Long.MAX_VALUE / 2;

    // ---- consumer side (the polling thread)
    private final int inRing;
    private final int inPool;
    private final int inMeta;
    private final int inData;
    private final ByteBuffer inView;
    private final byte[] inline = new byte[Descriptor.INLINE_PAYLOAD_CAPACITY];
    private final ByteBuffer inlineView = ByteBuffer.wrap(inline).order(ByteOrder.LITTLE_ENDIAN);
    private final Frame frame = new Frame();
    private final Map<Integer, Partial> partials = new HashMap<>();
    private long reassemblyBytes;
    private long tail;
    private long freeHead;
    private volatile IntPredicate channelPolicy = id -> true;
    /** Reader only: the peer sent a checksummed frame, so every later frame of its must carry one. */
    private boolean peerChecksums;
    private final CRC32C inCrc = new CRC32C();
    private final ByteBuffer inCrcHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private volatile boolean violated;

    // ---- liveness (the beating thread and senders)
    private final int ownEpoch;
    private final int ownLastSeen;
    private final int peerEpoch;
    private final int peerLastSeen;
    private final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();

    private final AtomicLongArray invalid = new AtomicLongArray(InvalidFrameKind.values().length);
    private final boolean[] logged = new boolean[InvalidFrameKind.values().length];

    private ShmTransport(Segment segment, PeerRole role, int maxMessageSize, Runnable doorbell) {
        this.segment = segment;
        this.mem = segment.memory();
        this.role = role;
        SegmentGeometry g = segment.geometry();
        this.capacity = g.ringCapacity();
        this.slotCount = g.slotCount();
        this.slotSize = g.slotSize();
        this.maxMessageSize = maxMessageSize;
        this.maxReassemblyBytes = 4L * maxMessageSize;
        this.doorbell = doorbell;
        this.outName = role.letter() + "->" + role.other().letter();
        this.inName = role.other().letter() + "->" + role.letter();

        this.outRing = SegmentLayout.ringOffset(g, role);
        this.outPool = SegmentLayout.poolOffset(g, role);
        this.outMeta = outPool + (int) SlotPoolHeader.slotMetaOffset(slotCount);
        this.outData = outPool + (int) SlotPoolHeader.slotDataOffset(slotCount);
        this.outBuffer = mem.buffer();
        this.outSource = mem.buffer();
        this.slotWriter = PostcardWriter.into(outBuffer);
        this.outCrcView = mem.buffer().duplicate();
        this.head = mem.getLongAcquire(outRing + RingHeader.VISIBLE_HEAD_OFFSET);
        this.cachedTail = mem.getLongAcquire(outRing + RingHeader.TAIL_OFFSET);
        this.freeTail = mem.getLongAcquire(outPool + SlotPoolHeader.FREE_TAIL_OFFSET);
        this.cachedFreeHead = freeTail;

        this.inRing = SegmentLayout.ringOffset(g, role.other());
        this.inPool = SegmentLayout.poolOffset(g, role.other());
        this.inMeta = inPool + (int) SlotPoolHeader.slotMetaOffset(slotCount);
        this.inData = inPool + (int) SlotPoolHeader.slotDataOffset(slotCount);
        this.inView = mem.buffer().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.tail = mem.getLongAcquire(inRing + RingHeader.TAIL_OFFSET);
        this.freeHead = mem.getLongAcquire(inPool + SlotPoolHeader.FREE_HEAD_OFFSET);

        this.ownEpoch = SegmentHeader.epochOffset(role);
        this.ownLastSeen = SegmentHeader.lastSeenOffset(role);
        this.peerEpoch = SegmentHeader.epochOffset(role.other());
        this.peerLastSeen = SegmentHeader.lastSeenOffset(role.other());
    }

    /**
     * This peer's end of {@code segment}. {@code doorbell} is run (on the sending thread) when a send finds the
     * consumer asleep; it must write one byte to the peer's doorbell.
     */
    public static ShmTransport open(Segment segment, PeerRole role, int maxMessageSize, Runnable doorbell) {
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("max message size must be positive: " + maxMessageSize);
        }
        return new ShmTransport(segment, role, maxMessageSize, doorbell);
    }

    public PeerRole role() {
        return role;
    }

    public Segment segment() {
        return segment;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Frames on a channel the policy rejects are dropped as {@link InvalidFrameKind#CHANNEL}. */
    public void channelPolicy(IntPredicate policy) {
        this.channelPolicy = policy;
    }

    // =====================================================================================================
    // sending

    /** Sends {@code payload} (position to limit; not consumed), inline, in a slot, or split across slots. */
    public void send(int channelId, int methodId, int flags, int creditGrant, ByteBuffer payload, long timeout,
            TimeUnit unit) throws SendTimeoutException {
        int len = payload.remaining();
        checkSize(len);
        lock(timeoutNanos(timeout, unit));
        try {
            long msgId = nextMsgId++;
            if (len <= inlineCapacity()) {
                awaitRingSpace();
                int d = descriptor(head);
                outBuffer.put(d + Descriptor.INLINE_PAYLOAD_OFFSET, payload, payload.position(), len);
                publish(d, msgId, channelId, methodId, Descriptor.INLINE_SLOT, 0, len, flags, creditGrant);
            } else {
                sendSplit(msgId, channelId, methodId, flags, creditGrant, payload);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Encodes the payload in place into a slot of this peer's pool (no intermediate copy) and sends it; a payload
     * of at most 24 bytes then moves into the descriptor, one larger than a slot is encoded on the heap and split.
     * Returns the payload's length in bytes, so a caller that counts what it sent needs no wrapping encoder.
     *
     * @throws MessageTooLargeException over this side's or the peer's maximum message size
     */
    public int send(int channelId, int methodId, int flags, int creditGrant, PayloadEncoder body, long timeout,
            TimeUnit unit) throws SendTimeoutException {
        lock(timeoutNanos(timeout, unit));
        try {
            int slot = awaitSlot();
            int slotStart = outData + slot * slotSize;
            slotWriter.reset(slotStart, slotSize);
            try {
                body.encode(slotWriter);
            } catch (BufferOverflowException tooLargeForSlot) {
                spareSlot = slot;
                PostcardWriter heap = PostcardWriter.growable(2 * slotSize);
                body.encode(heap);
                int size = heap.size();
                checkSize(size);
                sendSplit(nextMsgId++, channelId, methodId, flags, creditGrant, heap.written());
                return size;
            } catch (RuntimeException e) {
                spareSlot = slot;
                throw e;
            }
            int len = slotWriter.size();
            try {
                checkSize(len);
                awaitRingSpace();
            } catch (SendTimeoutException | RuntimeException e) {
                spareSlot = slot;
                throw e;
            }
            long msgId = nextMsgId++;
            int d = descriptor(head);
            if (len <= inlineCapacity()) {
                outBuffer.put(d + Descriptor.INLINE_PAYLOAD_OFFSET, outSource, slotStart, len);
                spareSlot = slot;
                publish(d, msgId, channelId, methodId, Descriptor.INLINE_SLOT, 0, len, flags, creditGrant);
            } else {
                publishSlot(d, msgId, channelId, methodId, slot, len, flags, creditGrant);
            }
            return len;
        } finally {
            sendLock.unlock();
        }
    }

    private void sendSplit(long msgId, int channelId, int methodId, int flags, int creditGrant, ByteBuffer payload)
            throws SendTimeoutException {
        int len = payload.remaining();
        int pos = payload.position();
        int end = pos + len;
        boolean sentAny = false;
        try {
            while (pos < end) {
                int chunk = Math.min(slotSize, end - pos);
                boolean last = pos + chunk == end;
                int slot = awaitSlot();
                int slotStart = outData + slot * slotSize;
                outBuffer.put(slotStart, payload, pos, chunk);
                try {
                    awaitRingSpace();
                } catch (SendTimeoutException | RuntimeException e) {
                    spareSlot = slot;
                    throw e;
                }
                int frameFlags = last ? flags : (flags & ~Descriptor.FLAG_EOS) | Descriptor.FLAG_CONTINUED;
                publishSlot(descriptor(head), msgId, channelId, methodId, slot, chunk, frameFlags, creditGrant);
                sentAny = true;
                pos += chunk;
            }
        } catch (SendTimeoutException e) {
            if (sentAny) {
                abandonSplit(msgId, channelId, methodId);
            }
            throw e;
        }
    }

    /** Best effort, without waiting: a final empty CANCEL fragment tells the receiver to drop the partial message. */
    private void abandonSplit(long msgId, int channelId, int methodId) {
        if (head - mem.getLongAcquire(outRing + RingHeader.TAIL_OFFSET) < capacity) {
            publish(descriptor(head), msgId, channelId, methodId, Descriptor.INLINE_SLOT, 0, 0, Descriptor.FLAG_CANCEL,
                    0);
        }
    }

    private void publishSlot(int d, long msgId, int channelId, int methodId, int slot, int len, int flags,
            int creditGrant) {
        int meta = outMeta + slot * SlotMeta.LENGTH;
        mem.putInt(meta + SlotMeta.STATE_OFFSET, SlotMeta.STATE_IN_FLIGHT);
        publish(d, msgId, channelId, methodId, slot, mem.getInt(meta + SlotMeta.GENERATION_OFFSET), len, flags,
                creditGrant);
    }

    /** Writes descriptor fields at {@code d}, then publishes it and wakes the consumer if it sleeps. */
    private void publish(int d, long msgId, int channelId, int methodId, int slot, int generation, int len, int flags,
            int creditGrant) {
        if (checksumsOut) {
            flags |= Descriptor.FLAG_CHECKSUM;
            boolean inlined = slot == Descriptor.INLINE_SLOT;
            int start = inlined ? d + Descriptor.INLINE_PAYLOAD_OFFSET : outData + slot * slotSize;
            outCrcView.clear().position(start).limit(start + len);
            mem.putInt(d + (inlined ? Descriptor.INLINE_CHECKSUM_OFFSET : Descriptor.SLOT_CHECKSUM_OFFSET),
                    checksum(outCrc, outCrcHeader, outCrcView, channelId, methodId, len, flags));
        }
        mem.putLong(d + Descriptor.MSG_ID_OFFSET, msgId);
        mem.putLong(d + Descriptor.CHANNEL_ID_OFFSET, Descriptor.pack(channelId, methodId));
        mem.putLong(d + Descriptor.PAYLOAD_SLOT_OFFSET, Descriptor.pack(slot, generation));
        mem.putLong(d + Descriptor.PAYLOAD_OFFSET_OFFSET, Descriptor.pack(0, len));
        mem.putLong(d + Descriptor.FLAGS_OFFSET, Descriptor.pack(flags, creditGrant));
        // Publication: the descriptor (and the slot's state and bytes) first, then visible_head with release.
        head++;
        mem.putLongRelease(outRing + RingHeader.VISIBLE_HEAD_OFFSET, head);
        // Dekker with the consumer's prepareToSleep: store head, full fence, load consumer_sleeping.
        mem.fullFence();
        int sleeping = outRing + RingHeader.CONSUMER_SLEEPING_OFFSET;
        if (mem.getIntAcquire(sleeping) == 1 && mem.compareAndSetInt(sleeping, 1, 0)) {
            doorbell.run();
            rang = true;
            rangAt = System.nanoTime();
        }
        touch();
    }

    /** The largest payload that travels in the descriptor: 24 bytes, 20 when the frame also carries its checksum. */
    private int inlineCapacity() {
        return checksumsOut ? Descriptor.CHECKSUMMED_INLINE_CAPACITY : Descriptor.INLINE_PAYLOAD_CAPACITY;
    }

    /**
     * The frames this side sends from now on carry a CRC32C of their payload and header (both sides offered the
     * integrity check in their Hellos). The reader verifies every frame that carries one, whatever it offered.
     */
    public void sendChecksums() {
        sendLock.lock(); // never in the middle of a send, which decided its inline capacity under the lock
        try {
            checksumsOut = true;
        } finally {
            sendLock.unlock();
        }
    }

    /** Whether this side's frames carry a checksum ({@link #sendChecksums}). */
    public boolean sendsChecksums() {
        return checksumsOut;
    }

    /**
     * CRC32C of {@code payload} (from its position to its limit, which it leaves as it found them), then of
     * channel_id, method_id, payload_len and flags as four little-endian u32.
     */
    private static int checksum(CRC32C crc, ByteBuffer header, ByteBuffer payload, int channelId, int methodId, int len,
            int flags) {
        crc.reset();
        int position = payload.position();
        crc.update(payload);
        payload.position(position);
        header.clear();
        header.putInt(channelId).putInt(methodId).putInt(len).putInt(flags).flip();
        crc.update(header);
        return (int) crc.getValue();
    }

    private int descriptor(long position) {
        return outRing + RingHeader.descriptorOffset(position, capacity);
    }

    /** Timeouts of a year or more mean "no timeout" (and keep the arithmetic from overflowing). */
    private static long timeoutNanos(long timeout, TimeUnit unit) {
        return Math.max(0, Math.min(unit.toNanos(timeout), TimeUnit.DAYS.toNanos(365)));
    }

    /** Under the send lock: whether the current send's timeout has run out, counted from its first wait. */
    private boolean expired() {
        long now = System.nanoTime();
        if (sendDeadline == 0) {
            sendDeadline = (now + sendTimeoutNanos) | 1;
        }
        return now - sendDeadline >= 0;
    }

    private void checkSize(int len) {
        if (len > maxMessageSize) {
            throw new MessageTooLargeException(len, maxMessageSize, false);
        }
        if (len > peerMaxMessageSize) {
            throw new MessageTooLargeException(len, peerMaxMessageSize, true);
        }
    }

    /** The largest message the peer accepts, from its Hello: larger ones are refused here, before they are sent. */
    public void peerMaxMessageSize(int bytes) {
        this.peerMaxMessageSize = bytes > 0 ? bytes : Integer.MAX_VALUE;
    }

    private void lock(long timeoutNanos) throws SendTimeoutException {
        checkSendable();
        long deadline = 0;
        if (!sendLock.tryLock()) {
            deadline = (System.nanoTime() + timeoutNanos) | 1;
            try {
                if (!sendLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                    throw new SendTimeoutException("another thread held ring " + outName
                            + " for the whole send timeout");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to send on ring " + outName, e);
            }
        }
        sendTimeoutNanos = timeoutNanos;
        sendDeadline = deadline;
    }

    private void checkSendable() {
        String aborted = sendsAborted;
        if (aborted != null) {
            throw new IllegalStateException(aborted);
        }
    }

    /** Makes current and later sends fail with {@code reason} (the session closed or the peer died). */
    public void abortSends(String reason) {
        sendsAborted = reason;
    }

    private void awaitRingSpace() throws SendTimeoutException {
        if (head - cachedTail < capacity) {
            return;
        }
        int waits = 0;
        while (true) {
            cachedTail = mem.getLongAcquire(outRing + RingHeader.TAIL_OFFSET);
            if (head - cachedTail < capacity) {
                return;
            }
            if (expired()) {
                throw new SendTimeoutException("ring " + outName + " is full (" + (head - cachedTail) + " of "
                        + capacity + " descriptors unread) for the whole send timeout: the peer is not consuming");
            }
            backoff(waits++);
        }
    }

    /** A slot of this peer's pool, now allocated (generation bumped); waits for one up to the timeout. */
    private int awaitSlot() throws SendTimeoutException {
        int waits = 0;
        while (true) {
            int slot = tryAllocate();
            if (slot >= 0) {
                int meta = outMeta + slot * SlotMeta.LENGTH;
                mem.putInt(meta + SlotMeta.GENERATION_OFFSET, mem.getInt(meta + SlotMeta.GENERATION_OFFSET) + 1);
                mem.putInt(meta + SlotMeta.STATE_OFFSET, SlotMeta.STATE_ALLOCATED);
                return slot;
            }
            if (expired()) {
                throw new SendTimeoutException("slot pool " + outName + " is exhausted (all " + slotCount
                        + " slots of " + slotSize + " bytes in flight) for the whole send timeout: the peer is not "
                        + "freeing slots");
            }
            backoff(waits++);
        }
    }

    private int tryAllocate() {
        if (spareSlot >= 0) {
            int slot = spareSlot;
            spareSlot = -1;
            return slot;
        }
        while (true) {
            if (freeTail == cachedFreeHead) {
                cachedFreeHead = mem.getLongAcquire(outPool + SlotPoolHeader.FREE_HEAD_OFFSET);
                long queued = cachedFreeHead - freeTail;
                if (queued == 0) {
                    return -1;
                }
                if (queued < 0 || queued > slotCount) {
                    violation("slot pool " + outName + " free_head " + Long.toUnsignedString(cachedFreeHead)
                            + " is outside [free_tail, free_tail + slot_count] = [" + freeTail + ", "
                            + (freeTail + slotCount) + "]");
                    cachedFreeHead = freeTail;
                    return -1;
                }
            }
            int slot = mem.getInt(outPool + SlotPoolHeader.freeRingEntryOffset((int) (freeTail % slotCount)));
            freeTail++;
            mem.putLongRelease(outPool + SlotPoolHeader.FREE_TAIL_OFFSET, freeTail);
            if (Integer.toUnsignedLong(slot) >= slotCount) {
                drop(InvalidFrameKind.FREE_LIST, "the peer freed slot " + Integer.toUnsignedString(slot)
                        + " of pool " + outName + ", which has slot_count " + slotCount);
                continue;
            }
            int state = mem.getIntAcquire(outMeta + slot * SlotMeta.LENGTH + SlotMeta.STATE_OFFSET);
            if (state != SlotMeta.STATE_FREE) {
                drop(InvalidFrameKind.FREE_LIST, "the peer freed slot " + slot + " of pool " + outName
                        + " whose state is " + state + ", not free");
                continue;
            }
            return slot;
        }
    }

    /**
     * Waiting for the peer to consume: spin briefly, then yield the core (on a small machine the consumer may need
     * it), then park for growing times up to 1 ms. A park is never shorter than the timer slack (tens of us), so it
     * comes last.
     */
    private void backoff(int waits) {
        checkSendable();
        if (waits < 128) {
            Thread.onSpinWait();
        } else if (waits < 640) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(MAX_BACKOFF_NANOS, 20_000L << Math.min(6, (waits - 640) / 8)));
        }
    }

    // =====================================================================================================
    // receiving

    /** True when at least one descriptor waits in the inbound ring. */
    public boolean hasInbound() {
        return mem.getLongAcquire(inRing + RingHeader.VISIBLE_HEAD_OFFSET) != tail;
    }

    /**
     * Reads up to {@code limit} descriptors from the inbound ring, delivering valid frames to {@code handler}.
     * Returns the number of descriptors consumed (valid or not). Never throws because of the peer's bytes.
     */
    public int poll(FrameHandler handler, int limit) {
        if (violated) {
            return 0;
        }
        long visible = mem.getLongAcquire(inRing + RingHeader.VISIBLE_HEAD_OFFSET);
        long available = visible - tail;
        if (available == 0) {
            return 0;
        }
        if (available < 0 || available > capacity) {
            violation("ring " + inName + " visible_head " + Long.toUnsignedString(visible)
                    + " is outside [tail, tail + capacity] = [" + tail + ", " + (tail + capacity) + "]");
            handler.onProtocolViolation(violationMessage);
            return 0;
        }
        int n = (int) Math.min(available, limit);
        for (int i = 0; i < n; i++) {
            readOne(handler);
        }
        return n;
    }

    private void readOne(FrameHandler handler) {
        int d = inRing + RingHeader.descriptorOffset(tail, capacity);
        long msgId = mem.getLong(d + Descriptor.MSG_ID_OFFSET);
        long ids = mem.getLong(d + Descriptor.CHANNEL_ID_OFFSET);
        long ref = mem.getLong(d + Descriptor.PAYLOAD_SLOT_OFFSET);
        long extent = mem.getLong(d + Descriptor.PAYLOAD_OFFSET_OFFSET);
        long control = mem.getLong(d + Descriptor.FLAGS_OFFSET);
        int channelId = Descriptor.low(ids);
        int methodId = Descriptor.high(ids);
        int slot = Descriptor.low(ref);
        int generation = Descriptor.high(ref);
        int offset = Descriptor.low(extent);
        int len = Descriptor.high(extent);
        int flags = Descriptor.low(control);
        int creditGrant = Descriptor.high(control);
        boolean checked = (flags & Descriptor.FLAG_CHECKSUM) != 0;
        int inlineLimit = checked ? Descriptor.CHECKSUMMED_INLINE_CAPACITY : Descriptor.INLINE_PAYLOAD_CAPACITY;
        boolean inlineOk = slot == Descriptor.INLINE_SLOT && Integer.toUnsignedLong(len) <= inlineLimit
                && generation == 0 && offset == 0;
        if (inlineOk) {
            inView.get(d + Descriptor.INLINE_PAYLOAD_OFFSET, inline, 0, len);
        }
        int stated = checked ? mem.getInt(d + (slot == Descriptor.INLINE_SLOT ? Descriptor.INLINE_CHECKSUM_OFFSET
                : Descriptor.SLOT_CHECKSUM_OFFSET)) : 0;
        // Publication: the descriptor is copied, so release the entry to the producer.
        tail++;
        mem.putLongRelease(inRing + RingHeader.TAIL_OFFSET, tail);

        ByteBuffer payload;
        int ownedSlot = -1;
        if (slot == Descriptor.INLINE_SLOT) {
            if (!inlineOk) {
                dropped(handler, channelId, msgId, InvalidFrameKind.INLINE_PAYLOAD, "an inline payload has payload_len "
                        + Integer.toUnsignedString(len) + " (at most " + inlineLimit
                        + "), payload_generation " + Integer.toUnsignedString(generation) + " and payload_offset "
                        + Integer.toUnsignedString(offset) + " (both must be 0)");
                return;
            }
            payload = inlineView.limit(len).position(0);
        } else {
            if (Integer.toUnsignedLong(slot) >= slotCount) {
                dropped(handler, channelId, msgId, InvalidFrameKind.SLOT_INDEX, "payload_slot "
                        + Integer.toUnsignedString(slot) + " is not below slot_count " + slotCount);
                return;
            }
            int meta = inMeta + slot * SlotMeta.LENGTH;
            int current = mem.getIntAcquire(meta + SlotMeta.GENERATION_OFFSET);
            int state = mem.getIntAcquire(meta + SlotMeta.STATE_OFFSET);
            if (current != generation || state != SlotMeta.STATE_IN_FLIGHT) {
                dropped(handler, channelId, msgId, InvalidFrameKind.STALE_GENERATION, "payload_generation "
                        + Integer.toUnsignedString(generation) + " of slot " + slot + " but the slot has generation "
                        + Integer.toUnsignedString(current) + " and state " + state + " (2 = in flight)");
                return;
            }
            ownedSlot = slot;
            long end = Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(len);
            if (end > slotSize) {
                freeSlot(ownedSlot);
                dropped(handler, channelId, msgId, InvalidFrameKind.SLOT_BOUNDS, "payload_offset "
                        + Integer.toUnsignedString(offset) + " + payload_len " + Integer.toUnsignedString(len) + " = "
                        + end + " is past the slot_size " + slotSize);
                return;
            }
            int start = inData + slot * slotSize + offset;
            payload = inView.limit(start + len).position(start);
        }
        try {
            if ((flags & ~Descriptor.KNOWN_FLAGS) != 0) {
                dropped(handler, channelId, msgId, InvalidFrameKind.FLAGS, "flags 0x" + Integer.toHexString(flags)
                        + " has bits 0x" + Integer.toHexString(flags & ~Descriptor.KNOWN_FLAGS)
                        + " that version 1.0 does not define");
                return;
            }
            if (checked) {
                int actual = checksum(inCrc, inCrcHeader, payload, channelId, methodId, len, flags);
                if (actual != stated) {
                    abandonMessage(channelId, msgId, methodId, flags);
                    dropped(handler, channelId, msgId, InvalidFrameKind.CHECKSUM, "the payload and header have CRC32C "
                            + Integer.toHexString(actual) + " but the frame says " + Integer.toHexString(stated));
                    return;
                }
                peerChecksums = true;
            } else if (peerChecksums) {
                abandonMessage(channelId, msgId, methodId, flags);
                dropped(handler, channelId, msgId, InvalidFrameKind.CHECKSUM,
                        "a frame without a checksum after the peer began to send them");
                return;
            }
            if (!channelPolicy.test(channelId)) {
                dropped(handler, channelId, msgId, InvalidFrameKind.CHANNEL, "channel_id "
                        + Integer.toUnsignedString(channelId) + " is not one the peer may use now");
                return;
            }
            Partial partial = partials.isEmpty() ? null : partials.get(channelId);
            if ((flags & Descriptor.FLAG_CONTINUED) != 0 || partial != null) {
                reassemble(handler, partial, msgId, channelId, methodId, flags, creditGrant, payload);
                return;
            }
            deliver(handler, msgId, channelId, methodId, flags, creditGrant, payload);
        } finally {
            if (ownedSlot >= 0) {
                freeSlot(ownedSlot);
            }
        }
    }

    private void reassemble(FrameHandler handler, Partial partial, long msgId, int channelId, int methodId,
            int flags, int creditGrant, ByteBuffer payload) {
        boolean more = (flags & Descriptor.FLAG_CONTINUED) != 0;
        if (partial != null && partial.msgId != msgId) {
            discard(channelId, partial);
            if ((flags & (Descriptor.FLAG_CANCEL | Descriptor.FLAG_ERROR)) != 0 && !more) {
                deliver(handler, msgId, channelId, methodId, flags, creditGrant, payload);
                return;
            }
            dropped(handler, channelId, msgId, InvalidFrameKind.CONTINUATION, "msg_id "
                    + Long.toUnsignedString(msgId) + " on channel " + Integer.toUnsignedString(channelId)
                    + " while message " + Long.toUnsignedString(partial.msgId) + " was still being reassembled");
            return;
        }
        if (partial == null) {
            if (partials.size() >= MAX_PARTIAL_MESSAGES) {
                dropped(handler, channelId, msgId, InvalidFrameKind.CONTINUATION, "more than "
                        + MAX_PARTIAL_MESSAGES + " split messages in reassembly at once");
                return;
            }
            partial = new Partial(msgId, methodId, flags);
            partials.put(channelId, partial);
        }
        if (!more && (flags & Descriptor.FLAG_CANCEL) != 0 && payload.remaining() == 0) {
            discard(channelId, partial); // the sender abandoned the message
            return;
        }
        if (!partial.discarding) {
            long total = (long) partial.length + payload.remaining();
            if (total > maxMessageSize || reassemblyBytes - partial.bytes.length + total > maxReassemblyBytes) {
                partial.discarding = true;
                reassemblyBytes -= partial.bytes.length;
                partial.bytes = new byte[0];
                dropped(handler, channelId, msgId, InvalidFrameKind.MESSAGE_TOO_LARGE, "message "
                        + Long.toUnsignedString(msgId) + " on channel " + Integer.toUnsignedString(channelId)
                        + " reached " + total + " bytes, over the maximum message size of " + maxMessageSize);
            } else {
                partial.append(payload);
            }
        }
        if (!more) {
            discard(channelId, partial);
            if (!partial.discarding) {
                deliver(handler, partial.msgId, channelId, partial.methodId,
                        (partial.firstFlags | flags) & ~Descriptor.FLAG_CONTINUED, creditGrant,
                        ByteBuffer.wrap(partial.bytes, 0, partial.length).asReadOnlyBuffer()
                                .order(ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    /**
     * A fragment failed its checksum: the message it belongs to is not delivered. The message in reassembly on its
     * channel goes, and when more fragments follow, they are swallowed as they come (a discarding partial).
     */
    private void abandonMessage(int channelId, long msgId, int methodId, int flags) {
        Partial partial = partials.get(channelId);
        if (partial != null) {
            discard(channelId, partial);
        }
        if ((flags & Descriptor.FLAG_CONTINUED) != 0 && partials.size() < MAX_PARTIAL_MESSAGES) {
            Partial rest = new Partial(msgId, methodId, flags);
            rest.discarding = true;
            partials.put(channelId, rest);
        }
    }

    private void discard(int channelId, Partial partial) {
        partials.remove(channelId);
        reassemblyBytes -= partial.bytes.length;
    }

    private void deliver(FrameHandler handler, long msgId, int channelId, int methodId, int flags, int creditGrant,
            ByteBuffer payload) {
        frame.msgId = msgId;
        frame.channelId = channelId;
        frame.methodId = methodId;
        frame.flags = flags & ~Descriptor.FLAG_CHECKSUM; // verified here: of no concern to the frame's reader
        frame.creditGrant = creditGrant;
        frame.payload = payload;
        try {
            handler.onFrame(frame);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "frame handler failed on " + frame, e);
        }
    }

    /** Hands the slot back: state free, then the index on the free list, then free_head with release. */
    private void freeSlot(int slot) {
        long allocated = mem.getLongAcquire(inPool + SlotPoolHeader.FREE_TAIL_OFFSET);
        long queued = freeHead - allocated;
        if (queued < 0 || queued >= slotCount) {
            drop(InvalidFrameKind.FREE_LIST, "slot pool " + inName + " free_tail "
                    + Long.toUnsignedString(allocated) + " leaves no room to free slot " + slot + " (free_head "
                    + freeHead + ", slot_count " + slotCount + ")");
            return;
        }
        mem.putIntRelease(inMeta + slot * SlotMeta.LENGTH + SlotMeta.STATE_OFFSET, SlotMeta.STATE_FREE);
        mem.putInt(inPool + SlotPoolHeader.freeRingEntryOffset((int) (freeHead % slotCount)), slot);
        freeHead++;
        // Publication: state and entry first, then free_head with release.
        mem.putLongRelease(inPool + SlotPoolHeader.FREE_HEAD_OFFSET, freeHead);
    }

    private void dropped(FrameHandler handler, int channelId, long msgId, InvalidFrameKind kind, String detail) {
        drop(kind, detail);
        try {
            handler.onDropped(channelId, msgId, kind);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "frame handler failed on a dropped frame", e);
        }
    }

    private void drop(InvalidFrameKind kind, String detail) {
        invalid.incrementAndGet(kind.ordinal());
        boolean first;
        synchronized (logged) {
            first = !logged[kind.ordinal()];
            logged[kind.ordinal()] = true;
        }
        if (first) {
            LOG.log(System.Logger.Level.WARNING, "dropped an invalid frame from the peer (" + kind + ": " + detail
                    + "); further " + kind + " frames are only counted");
        }
    }

    /** Counts, by kind, of what was dropped as invalid. */
    public Map<InvalidFrameKind, Long> invalidFrames() {
        Map<InvalidFrameKind, Long> out = new EnumMap<>(InvalidFrameKind.class);
        for (InvalidFrameKind k : InvalidFrameKind.values()) {
            out.put(k, invalid.get(k.ordinal()));
        }
        return out;
    }

    /** Counts one dropped frame of {@code kind} found by a layer above (e.g. a bad control message). */
    public void countInvalid(InvalidFrameKind kind, String detail) {
        drop(kind, detail);
    }

    public long invalidFrameCount() {
        long n = 0;
        for (int i = 0; i < invalid.length(); i++) {
            n += invalid.get(i);
        }
        return n;
    }

    private volatile String violationMessage;

    private void violation(String message) {
        if (!violated) {
            violated = true;
            violationMessage = message;
            LOG.log(System.Logger.Level.ERROR, "the peer broke the segment's invariants: " + message);
        }
    }

    /** Non-null once the peer broke a ring or free-list invariant; the session must end. */
    public String protocolViolation() {
        return violationMessage;
    }

    // =====================================================================================================
    // sleeping (the consumer's half of the doorbell protocol)

    /**
     * Announces that the consumer is about to block: sets {@code consumer_sleeping}, fences, and re-checks the
     * ring. Returns true if it may block (the producer will ring); false if a frame arrived meanwhile, in which case
     * the flag is cleared again (and a doorbell byte may still come: a harmless spurious wake).
     */
    public boolean prepareToSleep() {
        int sleeping = inRing + RingHeader.CONSUMER_SLEEPING_OFFSET;
        mem.putIntRelease(sleeping, 1);
        // Dekker with publish(): store consumer_sleeping, full fence, load visible_head.
        mem.fullFence();
        if (hasInbound() || violated) {
            mem.compareAndSetInt(sleeping, 1, 0);
            return false;
        }
        return true;
    }

    /**
     * Whether a send rang the peer's doorbell since the last call. A peer just woken through a Unix socket is
     * usually scheduled on the waker's CPU (a "sync" wake-up), so the waker should not spin long after ringing.
     */
    public boolean rangSinceLastAsked() {
        if (rang) {
            rang = false;
            return true;
        }
        return false;
    }

    /**
     * When a send last rang the peer's doorbell ({@code System.nanoTime()}): a caller that polls for its answer
     * right after it should let the just-woken peer have its CPU (see {@link #rangSinceLastAsked}).
     */
    public long lastRingNanos() {
        return rangAt;
    }

    /** Clears {@code consumer_sleeping} after a wake-up (normally the producer already did). */
    public boolean awake() {
        return mem.compareAndSetInt(inRing + RingHeader.CONSUMER_SLEEPING_OFFSET, 1, 0);
    }

    // =====================================================================================================
    // liveness

    /** Bumps this peer's epoch and stores its last-seen time (monotonic ns); called on a timer. */
    public void beat() {
        beat(System.nanoTime());
    }

    /** As {@link #beat()}, with the caller's reading of {@link System#nanoTime()}. */
    public void beat(long nowNanos) {
        mem.putLongRelease(ownEpoch, epoch.incrementAndGet());
        mem.putLongRelease(ownLastSeen, nowNanos);
    }

    /**
     * Sends count as signs of life too: each bumps the epoch. (Not {@code last_seen}: a clock read costs about
     * 50 ns on a VM, and the observer only asks whether either word changed.)
     */
    private void touch() {
        // no atomic add per frame: a racing beat may make both write the same next value, and the word still changed
        long next = epoch.getPlain() + 1;
        epoch.setPlain(next);
        mem.putLongRelease(ownEpoch, next);
    }

    public long peerEpoch() {
        return mem.getLongAcquire(peerEpoch);
    }

    public long peerLastSeen() {
        return mem.getLongAcquire(peerLastSeen);
    }

    /** Descriptors of ours the peer has not consumed yet. */
    public long outboundBacklog() {
        return head - mem.getLongAcquire(outRing + RingHeader.TAIL_OFFSET);
    }

    /** Fails later sends with {@code reason} and every later memory access cleanly. */
    public void close(String reason) {
        abortSends(reason);
        segment.close();
    }

    /** One message in reassembly. */
    private final class Partial {
        final long msgId;
        final int methodId;
        final int firstFlags;
        byte[] bytes = new byte[0];
        int length;
        boolean discarding;

        Partial(long msgId, int methodId, int firstFlags) {
            this.msgId = msgId;
            this.methodId = methodId;
            this.firstFlags = firstFlags;
        }

        void append(ByteBuffer chunk) {
            int n = chunk.remaining();
            if (length + n > bytes.length) {
                int grown = (int) Math.min(maxMessageSize, Math.max((long) length + n, 2L * bytes.length));
                reassemblyBytes += grown - bytes.length;
                bytes = java.util.Arrays.copyOf(bytes, grown);
            }
            chunk.get(chunk.position(), bytes, length, n);
            length += n;
        }
    }
}
