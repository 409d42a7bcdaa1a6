package io.rapace.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.config.SegmentGeometry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pins every layout constant to the number in docs/segment-format.md. */
class SegmentLayoutTest {

    @Test
    void segmentHeaderMatchesTheDesign() {
        assertEquals(0, SegmentHeader.MAGIC_OFFSET);
        assertEquals(8, SegmentHeader.VERSION_OFFSET);
        assertEquals(12, SegmentHeader.FLAGS_OFFSET);
        assertEquals(16, SegmentHeader.PEER_A_EPOCH_OFFSET);
        assertEquals(24, SegmentHeader.PEER_B_EPOCH_OFFSET);
        assertEquals(32, SegmentHeader.PEER_A_LAST_SEEN_OFFSET);
        assertEquals(40, SegmentHeader.PEER_B_LAST_SEEN_OFFSET);
        assertEquals(48, SegmentHeader.RING_CAPACITY_OFFSET);
        assertEquals(52, SegmentHeader.SLOT_COUNT_OFFSET);
        assertEquals(56, SegmentHeader.SLOT_SIZE_OFFSET);
        assertEquals(60, SegmentHeader.RESERVED_OFFSET);
        assertEquals(64, SegmentHeader.LENGTH);
        assertEquals(0x0001_0000, SegmentHeader.VERSION);
        byte[] magic = new byte[8];
        for (int i = 0; i < 8; i++) {
            magic[i] = (byte) (SegmentHeader.MAGIC >>> (8 * i));
        }
        assertEquals("RAPACE2\0", new String(magic, StandardCharsets.US_ASCII));
        assertEquals("\"RAPACE2\\0\"", SegmentHeader.describeMagic(SegmentHeader.MAGIC));
    }

    @Test
    void ringHeaderPutsEachHotFieldOnItsOwnCacheLine() {
        assertEquals(0, RingHeader.VISIBLE_HEAD_OFFSET);
        assertEquals(64, RingHeader.TAIL_OFFSET);
        assertEquals(128, RingHeader.CAPACITY_OFFSET);
        assertEquals(192, RingHeader.CONSUMER_SLEEPING_OFFSET);
        assertEquals(256, RingHeader.LENGTH);
        assertEquals(256 + 64 * 64, RingHeader.ringLength(64));
        assertEquals(256, RingHeader.descriptorOffset(0, 64));
        assertEquals(256 + 63 * 64, RingHeader.descriptorOffset(63, 64));
        assertEquals(256, RingHeader.descriptorOffset(64, 64));
    }

    @Test
    void descriptorMatchesTheDesign() {
        assertEquals(0, Descriptor.MSG_ID_OFFSET);
        assertEquals(8, Descriptor.CHANNEL_ID_OFFSET);
        assertEquals(12, Descriptor.METHOD_ID_OFFSET);
        assertEquals(16, Descriptor.PAYLOAD_SLOT_OFFSET);
        assertEquals(20, Descriptor.PAYLOAD_GENERATION_OFFSET);
        assertEquals(24, Descriptor.PAYLOAD_OFFSET_OFFSET);
        assertEquals(28, Descriptor.PAYLOAD_LEN_OFFSET);
        assertEquals(32, Descriptor.FLAGS_OFFSET);
        assertEquals(36, Descriptor.CREDIT_GRANT_OFFSET);
        assertEquals(40, Descriptor.INLINE_PAYLOAD_OFFSET);
        assertEquals(24, Descriptor.INLINE_PAYLOAD_CAPACITY);
        assertEquals(64, Descriptor.LENGTH);
        assertEquals(0xFFFF_FFFF, Descriptor.INLINE_SLOT);
        assertEquals(0x01, Descriptor.FLAG_DATA);
        assertEquals(0x02, Descriptor.FLAG_CONTROL);
        assertEquals(0x04, Descriptor.FLAG_EOS);
        assertEquals(0x08, Descriptor.FLAG_CANCEL);
        assertEquals(0x10, Descriptor.FLAG_ERROR);
        assertEquals(0x20, Descriptor.FLAG_HIGH_PRIORITY);
        assertEquals(0x40, Descriptor.FLAG_CREDITS);
        assertEquals(0x80, Descriptor.FLAG_METADATA_ONLY);
        assertEquals(0x100, Descriptor.FLAG_CALL_HEADER);
        assertEquals(0x200, Descriptor.FLAG_CONTINUED);
        assertEquals(0x800, Descriptor.FLAG_CHECKSUM);
        assertEquals(0xBFF, Descriptor.KNOWN_FLAGS);
        assertEquals(40, Descriptor.SLOT_CHECKSUM_OFFSET);
        assertEquals(60, Descriptor.INLINE_CHECKSUM_OFFSET);
        assertEquals(20, Descriptor.CHECKSUMMED_INLINE_CAPACITY);
    }

    @Test
    void slotPoolAndMetadataMatchTheDocument() {
        assertEquals(0, SlotPoolHeader.FREE_HEAD_OFFSET);
        assertEquals(64, SlotPoolHeader.FREE_TAIL_OFFSET);
        assertEquals(128, SlotPoolHeader.SLOT_COUNT_OFFSET);
        assertEquals(132, SlotPoolHeader.SLOT_SIZE_OFFSET);
        assertEquals(136, SlotPoolHeader.RESERVED_OFFSET);
        assertEquals(192, SlotPoolHeader.LENGTH);
        assertEquals(192, SlotPoolHeader.FREE_RING_OFFSET);
        assertEquals(4, SlotPoolHeader.FREE_RING_ENTRY_LENGTH);
        assertEquals(192 + 64, SlotPoolHeader.slotMetaOffset(16));
        assertEquals(192 + 64 + 128, SlotPoolHeader.slotDataOffset(16));
        assertEquals(192 + 64 + 64, SlotPoolHeader.slotDataOffset(1));
        assertEquals(65920, SlotPoolHeader.poolLength(16, 4096));
        assertEquals(0, SlotMeta.GENERATION_OFFSET);
        assertEquals(4, SlotMeta.STATE_OFFSET);
        assertEquals(8, SlotMeta.LENGTH);
        assertEquals(0, SlotMeta.STATE_FREE);
        assertEquals(1, SlotMeta.STATE_ALLOCATED);
        assertEquals(2, SlotMeta.STATE_IN_FLIGHT);
    }

    @Test
    void defaultSegmentIs140608Bytes() {
        SegmentGeometry g = SegmentGeometry.DEFAULT;
        assertEquals(64, g.ringCapacity());
        assertEquals(16, g.slotCount());
        assertEquals(4096, g.slotSize());
        assertEquals(140_608, g.segmentSize());
        assertEquals(SegmentGeometry.DEFAULT_SEGMENT_SIZE, g.segmentSize());
        assertEquals(64, SegmentLayout.ringOffset(g, PeerRole.PEER_A));
        assertEquals(64 + 4352, SegmentLayout.ringOffset(g, PeerRole.PEER_B));
        assertEquals(64 + 2 * 4352, SegmentLayout.poolOffset(g, PeerRole.PEER_A));
        assertEquals(64 + 2 * 4352 + 65920, SegmentLayout.poolOffset(g, PeerRole.PEER_B));
    }

    @Test
    void theSizesInOperationsMdAreRight() {
        assertEquals(2_132_416, new SegmentGeometry(256, 64, 16384).segmentSize());
        assertEquals(4_240_320, new SegmentGeometry(256, 512, 4096).segmentSize());
        assertEquals(33_692_608, new SegmentGeometry(1024, 256, 65536).segmentSize());
    }

    @Test
    void everyRegionStartsOn64Bytes() {
        SegmentGeometry g = new SegmentGeometry(2, 3, 64);
        for (PeerRole r : PeerRole.values()) {
            assertEquals(0, SegmentLayout.ringOffset(g, r) % 64);
            assertEquals(0, SegmentLayout.poolOffset(g, r) % 64);
            assertEquals(0, SlotPoolHeader.slotMetaOffset(3) % 64);
            assertEquals(0, SlotPoolHeader.slotDataOffset(3) % 64);
        }
    }
}
