package io.rapace.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls in flight one way on one engine ({@code C}: {@code EngineCall}), by channel id: an open-addressing map of {@code int} keys (linear
 * probing, backward-shift removal) under one lock. A {@code ConcurrentHashMap<Integer, EngineCall>} boxed the key of
 * every lookup and allocated a node per call, and its counting was about a third of a spinning caller's own work per
 * round trip (measured with JFR); this allocates nothing per call once grown. It grows with the calls in flight,
 * which the engine's limits bound (a peer cannot grow it past them), and never shrinks.
 */
final class CallTable<C> {
    private int[] keys = new int[16];
    private Object[] values = new Object[16];
    private int mask = 15;
    /** Entries in the table: written under the lock, read without it by {@link #size()}. */
    private volatile int count;

    /** The call on {@code channel}, or null. */
    @SuppressWarnings("unchecked")
    synchronized C get(int channel) {
        for (int i = slot(channel); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == channel) {
                return (C) values[i];
            }
        }
        return null;
    }

    /** Maps {@code channel} to {@code call}, replacing what it mapped to. */
    synchronized void put(int channel, C call) {
        int i = slot(channel);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == channel) {
                values[i] = call;
                return;
            }
        }
        keys[i] = channel;
        values[i] = call;
        count++;
        if (2 * count > values.length) {
            grow();
        }
    }

    /** Removes {@code channel} if it maps to {@code call}; returns whether it did. */
    synchronized boolean remove(int channel, C call) {
        for (int i = slot(channel); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == channel) {
                if (values[i] != call) {
                    return false;
                }
                deleteAt(i);
                count--;
                return true;
            }
        }
        return false;
    }

    /** Calls in the table now, without locking. */
    int size() {
        return count;
    }

    /** A copy of the calls in the table now. */
    @SuppressWarnings("unchecked")
    synchronized List<C> snapshot() {
        List<C> calls = new ArrayList<>(count);
        for (Object call : values) {
            if (call != null) {
                calls.add((C) call);
            }
        }
        return calls;
    }

    private int slot(int channel) {
        int h = channel * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** Empties slot {@code i}, moving later entries of its probe run back so every entry stays reachable. */
    private void deleteAt(int i) {
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean homeBetween = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeBetween) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        mask = values.length - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
