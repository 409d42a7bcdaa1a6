package io.rapace.plugin.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.shm.SegmentHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pins every offset to the diagram in {@link StatFileLayout}: a layout that shifts fails here. */
class StatFileLayoutTest {

    @Test
    void headerOffsets() {
        assertEquals(0, StatFileLayout.MAGIC_OFFSET);
        assertEquals(8, StatFileLayout.VERSION_OFFSET);
        assertEquals(12, StatFileLayout.ROW_LENGTH_OFFSET);
        assertEquals(16, StatFileLayout.HOST_PID_OFFSET);
        assertEquals(24, StatFileLayout.CREATED_MS_OFFSET);
        assertEquals(32, StatFileLayout.MAX_ROWS_OFFSET);
        assertEquals(36, StatFileLayout.ROW_COUNT_OFFSET);
        assertEquals(64, StatFileLayout.HEADER_LENGTH);
        assertEquals(0x0001_0000, StatFileLayout.VERSION);
        assertEquals("1.0", StatFileLayout.describeVersion(StatFileLayout.VERSION));
    }

    @Test
    void rowOffsets() {
        assertEquals(0, StatFileLayout.SEQ_OFFSET);
        assertEquals(8, StatFileLayout.PID_OFFSET);
        assertEquals(16, StatFileLayout.CALLS_OFFSET);
        assertEquals(24, StatFileLayout.ERRORS_OFFSET);
        assertEquals(32, StatFileLayout.BYTES_IN_OFFSET);
        assertEquals(40, StatFileLayout.BYTES_OUT_OFFSET);
        assertEquals(48, StatFileLayout.P50_NS_OFFSET);
        assertEquals(56, StatFileLayout.P99_NS_OFFSET);
        assertEquals(64, StatFileLayout.RESTARTS_OFFSET);
        assertEquals(72, StatFileLayout.CPU_NS_OFFSET);
        assertEquals(80, StatFileLayout.RSS_BYTES_OFFSET);
        assertEquals(88, StatFileLayout.UPDATED_MS_OFFSET);
        assertEquals(96, StatFileLayout.ID_LEN_OFFSET);
        assertEquals(100, StatFileLayout.STATE_LEN_OFFSET);
        assertEquals(104, StatFileLayout.STATE_OFFSET);
        assertEquals(24, StatFileLayout.STATE_CAPACITY);
        assertEquals(128, StatFileLayout.ID_OFFSET);
        assertEquals(64, StatFileLayout.ID_CAPACITY);
        assertEquals(192, StatFileLayout.ROW_LENGTH);
        assertEquals(StatFileLayout.ROW_LENGTH, StatFileLayout.ID_OFFSET + StatFileLayout.ID_CAPACITY);
        assertEquals(StatFileLayout.ID_OFFSET, StatFileLayout.STATE_OFFSET + StatFileLayout.STATE_CAPACITY);
    }

    @Test
    void sizesAndRowPositions() {
        assertEquals(64 + 3 * 192, StatFileLayout.fileSize(3));
        assertEquals(786_496, StatFileLayout.fileSize(StatFileLayout.MAX_ROWS));
        assertEquals(64, StatFileLayout.rowOffset(0));
        assertEquals(64 + 192 * 2, StatFileLayout.rowOffset(2));
    }

    @Test
    void magicIsRapstatInAscii() {
        byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(StatFileLayout.MAGIC).array();
        assertEquals("RAPSTAT\0", new String(bytes, StandardCharsets.US_ASCII));
        assertEquals("\"RAPSTAT\\0\"", StatFileLayout.describeMagic(StatFileLayout.MAGIC));
        assertEquals("\"\\xff\\0\\0\\0\\0\\0\\0\\0\"", StatFileLayout.describeMagic(0xFF));
    }

    @Test
    void describesAMagicInTheRuntimesWords() {
        long[] magics = {StatFileLayout.MAGIC, 0, 0xFF, -1, 0x0032_4543_4150_4152L, 0x225C_7F1F_2041_7A30L,
            0x8000_0000_0000_0001L};
        for (long magic : magics) {
            assertEquals(SegmentHeader.describeMagic(magic), StatFileLayout.describeMagic(magic),
                    Long.toHexString(magic));
        }
        java.util.Random random = new java.util.Random(13);
        for (int i = 0; i < 1000; i++) {
            long magic = random.nextLong();
            assertEquals(SegmentHeader.describeMagic(magic), StatFileLayout.describeMagic(magic),
                    Long.toHexString(magic));
        }
    }
}
