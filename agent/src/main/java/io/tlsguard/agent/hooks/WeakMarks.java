package io.tlsguard.agent.hooks;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Values attached to sockets, engines, contexts... weakly (a mark never keeps its object alive), for the guard's
 * facts about a connection: "tlsguard rewrote its protocols", "this pin configured it". Until the first mark a
 * lookup is one volatile read: every handshake looks, but most JVMs pin nothing and report mode rewrites nothing,
 * and the map's lock would be taken by every handshaking thread in turn (issue 14).
 */
final class WeakMarks<V> {
    private final Map<Object, V> marks = Collections.synchronizedMap(new WeakHashMap<Object, V>());
    /** Set (for good) by the first mark. */
    private volatile boolean marked;

    void put(Object key, V value) {
        marked = true;
        marks.put(key, value);
    }

    /** The value marked on {@code key} (null: a key too, as in a WeakHashMap), or null. */
    V get(Object key) {
        return marked ? marks.get(key) : null;
    }

    boolean contains(Object key) {
        return marked && marks.containsKey(key);
    }
}
