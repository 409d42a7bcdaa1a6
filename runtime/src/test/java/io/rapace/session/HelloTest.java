package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import io.rapace.shm.PeerRole;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control structs' bytes, as docs/segment-format.md shows them. */
class HelloTest {

    @Test
    void helloHasTheDocumentedBytes() throws DecodeException {
        Hello hello = new Hello(1, 0, PeerRole.PEER_B, 0, 16 * 1024 * 1024, "p", 42, List.of(1000));
        PostcardWriter w = PostcardWriter.growable(32);
        hello.encode(w);
        assertEquals("01000100808080080170" + "2a01e807", HexFormat.of().formatHex(w.toByteArray()));
        assertEquals(hello, Hello.decode(PostcardReader.of(w.toByteArray())));
    }

    @Test
    void goAwayHasTheDocumentedBytes() throws DecodeException {
        PostcardWriter w = PostcardWriter.growable(16);
        new GoAway(0, "closing").encode(w);
        assertArrayEquals(HexFormat.of().parseHex("0007636c6f73696e67"), w.toByteArray());
        assertEquals(new GoAway(0, "closing"), GoAway.decode(PostcardReader.of(w.toByteArray())));
    }

    @Test
    void rejectsAnUnknownRole() {
        byte[] bad = HexFormat.of().parseHex("0100" + "02" + "00" + "01" + "00" + "00" + "00");
        DecodeException e = assertThrows(DecodeException.class, () -> Hello.decode(PostcardReader.of(bad)));
        assertEquals(DecodeException.Reason.UNKNOWN_VARIANT, e.reason());
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bad = HexFormat.of().parseHex("0007636c6f73696e67ff");
        DecodeException e = assertThrows(DecodeException.class, () -> GoAway.decode(PostcardReader.of(bad)));
        assertEquals(DecodeException.Reason.TRAILING, e.reason());
    }
}
