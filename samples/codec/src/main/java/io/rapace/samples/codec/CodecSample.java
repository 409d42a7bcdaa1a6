package io.rapace.samples.codec;

import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Prints the postcard bytes of the seed's {@code ProcessRequest}, then decodes them back and checks the result. */
public final class CodecSample {
    private CodecSample() {
    }

    public static void main(String[] args) throws DecodeException {
        ProcessRequest request = new ProcessRequest(1, "analyze", "hello, plugin".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Postcard.encode(ProcessRequestCodec.CODEC, request);
        System.out.println("value:   " + request);
        System.out.println("postcard " + bytes.length + " bytes: " + HexFormat.ofDelimiter(" ").formatHex(bytes));

        ProcessRequest decoded = Postcard.decode(ProcessRequestCodec.CODEC, bytes);
        System.out.println("decoded: " + decoded);
        if (!decoded.equals(request)) {
            throw new IllegalStateException("round trip changed the value: " + decoded);
        }
        System.out.println("round trip OK");
    }
}
