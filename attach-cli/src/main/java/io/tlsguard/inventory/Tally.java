package io.tlsguard.inventory;

import java.util.Set;
import java.util.TreeSet;

/** How often something was seen, when first and last, with which protocols, by which services (each bounded). */
final class Tally {
    static final int MAX_SET = 64;

    long count;
    String first;
    String last;
    final Set<String> protocols = new TreeSet<>();
    final Set<String> services = new TreeSet<>();
    /** Set members beyond MAX_SET, not kept. */
    long more;

    void seen(String timestamp) {
        count++;
        if (timestamp != null) {
            if (first == null || timestamp.compareTo(first) < 0) {
                first = timestamp;
            }
            if (last == null || timestamp.compareTo(last) > 0) {
                last = timestamp;
            }
        }
    }

    void protocol(String p) {
        add(protocols, p);
    }

    void service(String s) {
        add(services, s);
    }

    private void add(Set<String> set, String v) {
        if (v != null && !set.contains(v)) {
            if (set.size() < MAX_SET) {
                set.add(v);
            } else {
                more++;
            }
        }
    }
}
