package io.rapace.idl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MethodIdsTest {

    @Test
    void hashesTheDesignCheckValues() {
        assertEquals(0x193FA158, MethodIds.defaultMethodId("Calculator", "add"));
        assertEquals(0x3E895C50, MethodIds.defaultMethodId("Echo", "echo"));
    }

    @Test
    void hashesTheServiceIdentifierDotTheMethodNameAsWritten() {
        long h = MethodIds.fnv1a64("Toolbox.Files.open");
        assertEquals((int) ((h >>> 32) ^ h), MethodIds.defaultMethodId("Toolbox", "Files.open"));
    }

    @Test
    void fnv1a64MatchesTheReferenceVectors() {
        // Reference values of FNV-1a 64 (draft-eastlake-fnv test suite).
        assertEquals(0xcbf29ce484222325L, MethodIds.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, MethodIds.fnv1a64("a"));
        assertEquals(0x85944171f73967e8L, MethodIds.fnv1a64("foobar"));
    }

    @Test
    void hashesUtf8Bytes() {
        long h = 0xcbf29ce484222325L;
        for (byte b : new byte[] {'S', '.', (byte) 0xC3, (byte) 0xA9}) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        assertEquals((int) ((h >>> 32) ^ h), MethodIds.defaultMethodId("S", "\u00e9"));
    }

    @Test
    void printsIdsUnsignedAndInHex() {
        assertEquals("4294967295", MethodIds.toUnsignedString(-1));
        assertEquals("0x193FA158", MethodIds.toHexString(0x193FA158));
        assertEquals("0x000003E8", MethodIds.toHexString(1000));
    }
}
