package io.tlsguard.inventory;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A sorted map that stops growing at its limit: keys beyond it are counted ({@link #dropped}), not kept, so that a
 * fleet with millions of distinct peers cannot exhaust the inventory's memory.
 */
final class Bounded<V> {
    final int limit;
    final Map<String, V> map = new TreeMap<>();
    long dropped;

    Bounded(int limit) {
        this.limit = limit;
    }

    /** The value for key, created when missing and there is room; null (counted) when the map is full. */
    V get(String key, Function<String, V> create) {
        V v = map.get(key);
        if (v == null) {
            if (map.size() >= limit) {
                dropped++;
                return null;
            }
            v = create.apply(key);
            map.put(key, v);
        }
        return v;
    }
}
