package io.rapace.benchmarks.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import org.junit.jupiter.api.Test;

class LogRequestCodecTest {

    @Test
    void writesTheLevelAsItsDeclarationIndex() {
        byte[] bytes = Postcard.encode(LogRequestCodec.CODEC, new LogRequest(LogLevel.ERROR, "hi"));

        assertArrayEquals(new byte[] {0x04, 0x02, 'h', 'i'}, bytes);
    }

    @Test
    void roundTripsEveryLevel() throws DecodeException {
        for (LogLevel level : LogLevel.values()) {
            LogRequest value = new LogRequest(level, "Processing started ✓");

            assertEquals(value, Postcard.decode(LogRequestCodec.CODEC, Postcard.encode(LogRequestCodec.CODEC, value)));
        }
    }

    @Test
    void rejectsAnUnknownLevel() {
        DecodeException e = assertThrows(DecodeException.class,
                () -> Postcard.decode(LogRequestCodec.CODEC, new byte[] {0x05, 0x00}));

        assertEquals(DecodeException.Reason.UNKNOWN_VARIANT, e.reason());
        assertEquals("unknown-variant at offset 0: LogLevel has no variant with index 5", e.getMessage());
    }
}
