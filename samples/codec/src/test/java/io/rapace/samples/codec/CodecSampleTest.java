package io.rapace.samples.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CodecSampleTest {

    @Test
    void encodesTheSeedsProcessRequestAsPostcardDoes() throws DecodeException {
        ProcessRequest request = new ProcessRequest(1, "analyze", "hi".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Postcard.encode(ProcessRequestCodec.CODEC, request);
        // 01 = request_id, 07 "analyze", 02 "hi"
        assertEquals("0107616e616c797a65026869", HexFormat.of().formatHex(bytes));
        assertEquals(request, Postcard.decode(ProcessRequestCodec.CODEC, bytes));
    }

    @Test
    void printsUnsignedRequestIds() {
        ProcessRequest request = new ProcessRequest(-1, "max", new byte[] {(byte) 0xFF});
        assertEquals("ProcessRequest[requestId=18446744073709551615, operation=max, data=ff]", request.toString());
    }
}
