package io.tlsguard.agent.jsse;

import java.lang.reflect.Field;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads (and, for the floor, writes) fields of JDK-internal JSSE objects ({@code sun.security.ssl}) by
 * reflection. Every accessor tolerates a field that this JDK does not have: it returns null and the
 * report simply lacks that value. Java 9+ needs {@code sun.security.ssl} opened to the agent, which
 * {@code weaving.ModuleAccess} does at start.
 *
 * <p>Field names were checked with javap on JDK 8u (new TLS stack), 11, 17, 21 and 25.
 */
public final class JsseInternals {
    /**
     * Per class, field name to a Field, or to {@link #ABSENT} when this JDK has no such field. A ClassValue:
     * a lookup builds no key (about 15 reads per handshake).
     */
    private static final ClassValue<ConcurrentHashMap<String, Object>> FIELDS =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private static final Object ABSENT = new Object();

    private JsseInternals() {}

    static Object read(Object target, String name) {
        if (target == null) {
            return null;
        }
        Field field = field(target.getClass(), name);
        if (field == null) {
            return null;
        }
        try {
            return field.get(target);
        } catch (Exception e) {
            return null;
        }
    }

    static boolean readBoolean(Object target, String name) {
        Object value = read(target, name);
        return value instanceof Boolean && (Boolean) value;
    }

    static boolean write(Object target, String name, Object value) {
        Field field = target == null ? null : field(target.getClass(), name);
        if (field == null) {
            return false;
        }
        try {
            field.set(target, value);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) {
        ConcurrentHashMap<String, Object> fields = FIELDS.get(type);
        Object cached = fields.get(name);
        if (cached == null) {
            try {
                cached = find(type, name);
            } catch (SecurityException notNow) {
                return null; // a security manager said no this time: not a fact about this JDK, never remembered
            }
            fields.put(name, cached);
        }
        return cached == ABSENT ? null : (Field) cached;
    }

    /** A Field, or {@link #ABSENT} when this JDK has none or keeps it closed; a SecurityException goes up. */
    private static Object find(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (SecurityException e) {
                throw e;
            } catch (RuntimeException e) { // InaccessibleObjectException on a JDK we could not open
                return ABSENT;
            }
        }
        return ABSENT;
    }

    // --- TransportContext (one per connection) ---

    public static Object transport(Object transportContext) {
        return read(transportContext, "transport");
    }

    public static Object config(Object transportContext) {
        return read(transportContext, "sslConfig");
    }

    static Object session(Object transportContext) {
        return read(transportContext, "conSession");
    }

    public static Object handshakeContext(Object transportContext) {
        return read(transportContext, "handshakeContext");
    }

    /** Whether the connection had completed a handshake before (a failure then is not a handshake's). */
    public static boolean negotiated(Object transportContext) {
        return readBoolean(transportContext, "isNegotiated");
    }

    /** The connection's {@code SSLContextImpl}: what a pinned context is known by. */
    public static Object sslContext(Object transportContext) {
        return read(transportContext, "sslContext");
    }

    /** Whether the connection's outbound side is closed already (a second close is not news). */
    public static boolean outboundClosed(Object transportContext) {
        return readBoolean(read(transportContext, "outputRecord"), "isClosed");
    }

    /** A public {@code SSLContext}'s provider object ({@code SSLContextImpl} for the JDK's), or null. */
    public static Object contextSpi(Object context) {
        return read(context, "contextSpi");
    }

    /** Whether the connection is already failing: JSSE calls fatal again while it unwinds. */
    public static boolean closing(Object transportContext) {
        return read(transportContext, "closeReason") != null;
    }

    // --- SSLConfiguration ---

    static boolean clientMode(Object config) {
        return readBoolean(config, "isClientMode");
    }

    /** The enabled protocols as {@code ProtocolVersion} constants, or null. */
    @SuppressWarnings("unchecked")
    public static List<Object> enabledProtocols(Object config) {
        Object value = read(config, "enabledProtocols");
        return value instanceof List ? (List<Object>) value : null;
    }

    public static boolean setEnabledProtocols(Object config, List<Object> protocols) {
        return write(config, "enabledProtocols", new ArrayList<>(protocols));
    }

    /** The SNI names a client asked for (SNIServerName list), or an empty list. */
    static List<?> serverNames(Object config) {
        Object value = read(config, "serverNames");
        return value instanceof List ? (List<?>) value : Collections.emptyList();
    }

    // --- HandshakeContext (only while a handshake runs) ---

    static Boolean resumption(Object handshakeContext) {
        Object value = read(handshakeContext, "isResumption");
        return value instanceof Boolean ? (Boolean) value : null;
    }

    /**
     * The key-exchange group (e.g. x25519). TLS 1.3 records it on the handshake; TLS 1.2 (EC)DHE only on
     * the key-exchange credentials (peer's key) and possessions (own key) it holds.
     */
    static String namedGroup(Object handshakeContext) {
        Object group = read(handshakeContext, "serverSelectedNamedGroup");
        for (String list : new String[] {"handshakeCredentials", "handshakePossessions"}) {
            Object items = group == null ? read(handshakeContext, list) : null;
            if (items instanceof List) {
                for (Object item : (List<?>) items) {
                    group = group == null ? read(item, "namedGroup") : group;
                }
            }
        }
        if (group == null) {
            return null;
        }
        Object name = read(group, "name");
        return name instanceof String ? (String) name : group.toString();
    }

    /** The protocol a failing handshake had agreed on, if it got that far. */
    static Object negotiatedProtocol(Object handshakeContext) {
        return read(handshakeContext, "negotiatedProtocol");
    }

    // --- SSLSessionImpl ---

    /** The peer's certificates without the exception getPeerCertificates() throws when there are none. */
    static Certificate[] peerCertificates(Object session) {
        Object value = read(session, "peerCerts");
        return value instanceof Certificate[] ? (Certificate[]) value : null;
    }

    /** The name of a ProtocolVersion constant (TLS12...) or a JSSE name. */
    public static String constantName(Object protocolVersion) {
        return protocolVersion instanceof Enum ? ((Enum<?>) protocolVersion).name() : String.valueOf(protocolVersion);
    }

    /** The JSSE name (TLSv1.2) of a ProtocolVersion constant. */
    public static String standardName(Object protocolVersion) {
        Object name = read(protocolVersion, "name");
        return name instanceof String ? (String) name : String.valueOf(protocolVersion);
    }

    /** ProtocolVersion constant for a JSSE name, using an existing constant to find the enum type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object constantFor(Object sample, String standardName) {
        if (!(sample instanceof Enum)) {
            return null;
        }
        for (Object constant : ((Enum) sample).getDeclaringClass().getEnumConstants()) {
            if (standardName.equals(standardName(constant))) {
                return constant;
            }
        }
        return null;
    }
}
