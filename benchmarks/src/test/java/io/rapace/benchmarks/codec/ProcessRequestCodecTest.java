package io.rapace.benchmarks.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import org.junit.jupiter.api.Test;

class ProcessRequestCodecTest {

    @Test
    void writesFieldsInDeclarationOrder() {
        ProcessRequest value = new ProcessRequest(300, "op", new byte[] {1, 2, 3});

        byte[] bytes = Postcard.encode(ProcessRequestCodec.CODEC, value);

        // request_id 300 as a varint, "op" with its length, then the three data bytes with theirs
        assertArrayEquals(new byte[] {(byte) 0xAC, 0x02, 0x02, 'o', 'p', 0x03, 1, 2, 3}, bytes);
    }

    @Test
    void roundTripsAnUnsignedRequestIdAboveLongMaxValue() throws DecodeException {
        byte[] data = new byte[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        ProcessRequest value = new ProcessRequest(-1L, "transform", data);

        ProcessRequest decoded = Postcard.decode(ProcessRequestCodec.CODEC,
                Postcard.encode(ProcessRequestCodec.CODEC, value));

        assertEquals(-1L, decoded.requestId());
        assertEquals("transform", decoded.operation());
        assertArrayEquals(data, decoded.data());
    }
}
