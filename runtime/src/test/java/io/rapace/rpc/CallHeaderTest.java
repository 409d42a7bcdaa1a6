package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CALL_HEADER struct of docs/rpc.md ("Frames of a call"):
 * {@code {deadline_remaining_ns: option<u64>, metadata: list<(string, bytes)>}}.
 */
class CallHeaderTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void headerWithDeadlineAndMetadataHasTheDesignsLayout() throws DecodeException {
        CallHeader header = new CallHeader(1_000_000, List.of(new MetadataEntry("trace", new byte[] {1, 2})));
        byte[] bytes = hex("01 c0843d 01 05 7472616365 02 0102");
        assertArrayEquals(bytes, Postcard.encode(CallHeader.CODEC, header));
        assertEquals(header, Postcard.decode(CallHeader.CODEC, bytes));
    }

    @Test
    void headerWithoutDeadlineOrMetadataIsTwoZeros() throws DecodeException {
        CallHeader header = new CallHeader(-1, List.of());
        assertArrayEquals(hex("00 00"), Postcard.encode(CallHeader.CODEC, header));
        assertEquals(header, Postcard.decode(CallHeader.CODEC, hex("00 00")));
    }

    @Test
    void budgetBeyondALongSaturates() throws DecodeException {
        CallHeader decoded = Postcard.decode(CallHeader.CODEC, hex("01 ffffffffffffffffff01 00"));
        assertEquals(new CallHeader(Long.MAX_VALUE, List.of()), decoded);
    }
}
