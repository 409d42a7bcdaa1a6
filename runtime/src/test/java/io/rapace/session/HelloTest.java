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
import java.util.Map;
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

    /** From protocol 1.1 the Hello ends with the served methods' schema fingerprints, sorted by id. */
    @Test
    void helloOfMinorOneCarriesFingerprints() throws DecodeException {
        Hello hello = new Hello(1, 1, PeerRole.PEER_B, 0, 16 * 1024 * 1024, "p", 42, List.of(1000, 7),
                Map.of(1000, 0x0102L, 7, 0xFFL));
        PostcardWriter w = PostcardWriter.growable(32);
        hello.encode(w);
        assertEquals("01010100808080080170" + "2a02e80707" + "02" + "07ff01" + "e8078202",
                HexFormat.of().formatHex(w.toByteArray()));
        Hello back = Hello.decode(PostcardReader.of(w.toByteArray()));
        assertEquals(hello, back);
        assertEquals(0x0102L, back.fingerprint(1000));
        assertEquals(0, back.fingerprint(5), "no fingerprint announced");
    }

    /** A newer minor may append fields: they are ignored. The same minor's extra bytes are refused. */
    @Test
    void aNewerMinorMayAppendFields() throws DecodeException {
        String base = "01" + "%s" + "0100808080080170" + "2a00" + "00";
        Hello newer = Hello.decode(PostcardReader.of(HexFormat.of().parseHex(String.format(base, "09") + "abcd")));
        assertEquals(9, newer.protocolMinor());
        DecodeException e = assertThrows(DecodeException.class, () -> Hello.decode(PostcardReader.of(
                HexFormat.of().parseHex(String.format(base, "01") + "ab"))));
        assertEquals(DecodeException.Reason.TRAILING, e.reason());
    }

    @Test
    void rejectsTwoFingerprintsOfOneMethod() {
        byte[] bad = HexFormat.of().parseHex("0101" + "0100808080080170" + "2a00" + "02" + "0701" + "0702");
        DecodeException e = assertThrows(DecodeException.class, () -> Hello.decode(PostcardReader.of(bad)));
        assertEquals(DecodeException.Reason.DUPLICATE_KEY, e.reason());
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
