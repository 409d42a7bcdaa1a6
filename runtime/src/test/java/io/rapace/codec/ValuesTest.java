package io.rapace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void comparesArraysInsideOptionsListsAndMapsByContent() {
        assertTrue(Values.deepEquals(Optional.of(new byte[] {1, 2}), Optional.of(new byte[] {1, 2})));
        assertFalse(Values.deepEquals(Optional.of(new byte[] {1, 2}), Optional.of(new byte[] {1, 3})));
        assertFalse(Values.deepEquals(Optional.of(new byte[] {1}), Optional.empty()));
        assertTrue(Values.deepEquals(List.of(new int[] {7}, new int[0]), List.of(new int[] {7}, new int[0])));
        assertFalse(Values.deepEquals(List.of(new int[] {7}), List.of(new int[] {7}, new int[0])));
        Map<String, Optional<byte[]>> a = new LinkedHashMap<>();
        a.put("k", Optional.of(new byte[] {9}));
        Map<String, Optional<byte[]>> b = new LinkedHashMap<>();
        b.put("k", Optional.of(new byte[] {9}));
        assertTrue(Values.deepEquals(a, b));
        b.put("k", Optional.of(new byte[] {8}));
        assertFalse(Values.deepEquals(a, b));
        assertTrue(Values.deepEquals(new Object[] {Optional.of(new long[] {1})}, new Object[] {Optional.of(new long[] {1})}));
    }

    @Test
    void hashCodeAgreesWithEquals() {
        Object x = List.of(Optional.of(new byte[] {1, 2}), Optional.empty());
        Object y = List.of(Optional.of(new byte[] {1, 2}), Optional.empty());
        assertEquals(Values.deepHashCode(x), Values.deepHashCode(y));
        assertEquals(Values.deepHashCode(Map.of("a", new byte[] {3})), Values.deepHashCode(Map.of("a", new byte[] {3})));
    }

    @Test
    void printsArrayContents() {
        assertEquals("Optional[[1, 2]]", Values.deepToString(Optional.of(new byte[] {1, 2})));
        assertEquals("Optional.empty", Values.deepToString(Optional.empty()));
        assertEquals("[[1], []]", Values.deepToString(List.of(new int[] {1}, new int[0])));
        assertEquals("{a=[true]}", Values.deepToString(Map.of("a", new boolean[] {true})));
        assertEquals("null", Values.deepToString(null));
    }
}
