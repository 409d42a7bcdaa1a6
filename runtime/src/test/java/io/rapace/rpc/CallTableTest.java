package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CallTableTest {

    @Test
    void putGetRemoveOnlyTheMappedCall() {
        CallTable<String> table = new CallTable<>();
        table.put(3, "a");
        assertEquals("a", table.get(3));
        assertFalse(table.remove(3, "b"), "a different call on the same channel stays");
        assertEquals("a", table.get(3));
        table.put(3, "b");
        assertEquals(1, table.size());
        assertTrue(table.remove(3, "b"));
        assertNull(table.get(3));
        assertEquals(0, table.size());
        assertFalse(table.remove(3, "b"));
    }

    /** Random puts and removes, with colliding keys and growth, against a HashMap: every entry stays reachable. */
    @Test
    void agreesWithAHashMapUnderRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            CallTable<Integer> table = new CallTable<>();
            Map<Integer, Integer> model = new HashMap<>();
            // keys as both sides open channels (odd, even, sequential) and as a hostile peer picks them
            int bound = seed % 2 == 0 ? 64 : Integer.MAX_VALUE;
            for (int op = 0; op < 20_000; op++) {
                int key = seed % 3 == 0 ? 2 * random.nextInt(200) + 1 : random.nextInt(bound) + 1;
                if (random.nextInt(3) == 0 || model.size() > 300) {
                    Integer value = model.get(key);
                    boolean removed = table.remove(key, value != null ? value : Integer.valueOf(-1));
                    assertEquals(value != null, removed, "seed " + seed + ", op " + op + ": remove " + key);
                    model.remove(key);
                } else {
                    Integer call = op; // one object: the table removes by identity, as the engine does
                    table.put(key, call);
                    model.put(key, call);
                }
                assertEquals(model.size(), table.size());
                if (op % 97 == 0) {
                    for (Map.Entry<Integer, Integer> e : model.entrySet()) {
                        assertEquals(e.getValue(), table.get(e.getKey()), "seed " + seed + ", op " + op);
                    }
                    assertEquals(new HashSet<>(model.values()), new HashSet<>(table.snapshot()));
                }
            }
        }
    }
}
