package io.tlsguard.agent.jsse;

import io.tlsguard.agent.report.FailureCause;
import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinOrigin;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Why a handshake failed: the peer's alert, the program abandoning it, or, for a failure to agree on a
 * protocol, the pin and the JVM setting that removed its protocols. Runs only when a handshake fails, on
 * the failing thread; reads the JVM's settings afresh each time (a program may change them at run time).
 */
public final class FailureCauses {
    /** The Security property that disables protocols by default (TLSv1 and TLSv1.1 since 8u291 and 11.0.11). */
    public static final String DISABLED_ALGORITHMS = "jdk.tls.disabledAlgorithms";

    /** JSSE's diagnostic for a fatal alert it received, the same from 8u261 to 25. */
    private static final String RECEIVED = "Received fatal alert";
    /** JSSE's diagnostic when the program closes an engine's inbound side during a handshake. */
    private static final String CLOSING_INBOUND = "closing inbound before receiving peer's close_notify";

    private static final String[] PROTOCOL_NAMES = {
        "SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "DTLSv1.0", "DTLSv1.2"
    };

    private FailureCauses() {}

    /** A handshake JSSE failed: fills the cause, the pin behind it (may be null) and the JVM setting. */
    public static void explain(HandshakeEvent.Builder e, String diagnostic, PinOrigin pin) {
        if (pin != null && pin.site == null && !sameProtocols(pin.requested, e.enabledProtocols())) {
            pin = null; // a default-protocols property that this connection's own list overrode
        }
        e.failurePin(pin);
        if (diagnostic != null && diagnostic.startsWith(CLOSING_INBOUND)) {
            e.failureCause(FailureCause.ABANDONED);
            return;
        }
        String message = e.errorMessage();
        boolean noProtocol = "protocol_version".equals(e.alert())
                || (message != null && message.contains("No appropriate protocol"));
        if (noProtocol && e.protocolsChanged()) { // the peer's refusal too: it spoke only what tlsguard removed
            e.failureCause(FailureCause.TLSGUARD_FLOOR);
            return;
        }
        if (diagnostic != null && diagnostic.startsWith(RECEIVED)) {
            e.failureCause(FailureCause.PEER_ALERT);
            return;
        }
        if (!noProtocol) {
            e.failureCause(FailureCause.OTHER);
            return;
        }
        // the protocols that mattered: the pin's, the connection's, and any the diagnostic names (a server
        // says which version the client asked for)
        Set<String> involved = new LinkedHashSet<>();
        if (pin != null) {
            addAll(involved, pin.requested);
        }
        addAll(involved, e.enabledProtocols());
        if (message != null) {
            for (String word : message.split("[^A-Za-z0-9.]+")) {
                if (isProtocol(word)) {
                    involved.add(word);
                }
            }
        }
        List<String> disabled = disabledProtocols();
        List<String> removed = new ArrayList<>();
        for (String protocol : involved) {
            if (disabled.contains(protocol.toLowerCase(Locale.ROOT))) {
                removed.add(protocol);
            }
        }
        if (removed.isEmpty()) {
            e.failureCause(FailureCause.PROTOCOL_MISMATCH);
            return;
        }
        e.jvmSetting(DISABLED_ALGORITHMS, removed.toArray(new String[0]));
        e.failureCause(pin != null ? FailureCause.PIN_BELOW_JVM_FLOOR : FailureCause.JVM_DISABLED_PROTOCOL);
    }

    /** The program closed a connection whose handshake had started and not finished. */
    public static void abandoned(HandshakeEvent.Builder e, PinOrigin pin) {
        e.failurePin(pin);
        e.failureCause(FailureCause.ABANDONED);
    }

    /** JSSE failing an engine whose inbound side the program closed mid-handshake. */
    public static boolean afterAbandon(String diagnostic) {
        return diagnostic != null && diagnostic.startsWith(CLOSING_INBOUND);
    }

    /**
     * No call pinned this connection: the system property that sets this side's default protocols, as the
     * pin behind them, when it is set ({@code tlsguard.failure.pin.api} names it; there is no call site).
     */
    public static PinOrigin propertyPin(boolean client) {
        String name = client ? "jdk.tls.client.protocols" : "jdk.tls.server.protocols";
        String value;
        try {
            value = System.getProperty(name);
        } catch (RuntimeException e) {
            return null;
        }
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        String[] protocols = value.split(",");
        for (int i = 0; i < protocols.length; i++) {
            protocols[i] = protocols[i].trim();
        }
        return new PinOrigin("system property " + name, protocols, null);
    }

    /** The protocol names {@code jdk.tls.disabledAlgorithms} lists, lower case (JSSE compares them so). */
    static List<String> disabledProtocols() {
        List<String> names = new ArrayList<>();
        String value;
        try {
            value = Security.getProperty(DISABLED_ALGORITHMS);
        } catch (RuntimeException e) { // a security manager: the cause stays unknown rather than the host failing
            return names;
        }
        if (value == null) {
            return names;
        }
        for (String entry : value.split(",")) {
            String name = entry.trim();
            if (isProtocol(name)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static boolean isProtocol(String word) {
        for (String name : PROTOCOL_NAMES) {
            if (name.equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameProtocols(String[] a, String[] b) {
        if (a == null || b == null) {
            return false;
        }
        Set<String> left = new LinkedHashSet<>();
        Set<String> right = new LinkedHashSet<>();
        addAll(left, a);
        addAll(right, b);
        return left.equals(right);
    }

    private static void addAll(Set<String> to, String[] names) {
        if (names != null) {
            for (String name : names) {
                to.add(name);
            }
        }
    }
}
