package io.rapace.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;

/** The session's own structs from a peer, Hello and GoAway: each decodes or throws {@link DecodeException}. */
class HandshakeFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void decodeHelloAndGoAway(FuzzedDataProvider data) {
        boolean hello = data.consumeBoolean();
        PostcardReader in = PostcardReader.of(data.consumeRemainingAsBytes());
        try {
            if (hello) {
                Hello.decode(in);
            } else {
                GoAway.decode(in);
            }
        } catch (DecodeException e) {
            // the documented answer
        }
    }
}
