package io.rapace.rpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;

/** A call's header, as a peer writes it before the request body: it decodes or throws {@link DecodeException}. */
class CallHeaderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void decodeCallHeader(byte[] input) {
        try {
            CallHeader.decode(PostcardReader.of(input));
        } catch (DecodeException e) {
            // the documented answer
        }
    }
}
