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

    // the fields read on every handshake: each remembers its Field for the last class it was read from
    private static final FieldRef TRANSPORT = new FieldRef("transport");
    private static final FieldRef SSL_CONFIG = new FieldRef("sslConfig");
    private static final FieldRef CON_SESSION = new FieldRef("conSession");
    private static final FieldRef HANDSHAKE_CONTEXT = new FieldRef("handshakeContext");
    private static final FieldRef APPLICATION_PROTOCOL = new FieldRef("applicationProtocol");
    private static final FieldRef IS_CLIENT_MODE = new FieldRef("isClientMode");
    private static final FieldRef ENABLED_PROTOCOLS = new FieldRef("enabledProtocols");
    private static final FieldRef SERVER_NAMES = new FieldRef("serverNames");
    private static final FieldRef IS_RESUMPTION = new FieldRef("isResumption");
    private static final FieldRef SELECTED_GROUP = new FieldRef("serverSelectedNamedGroup");
    private static final FieldRef CREDENTIALS = new FieldRef("handshakeCredentials");
    private static final FieldRef POSSESSIONS = new FieldRef("handshakePossessions");
    private static final FieldRef PEER_CERTS = new FieldRef("peerCerts");
    private static final FieldRef VERSION_NAME = new FieldRef("name"); // of a ProtocolVersion
    private static final FieldRef GROUP_NAME = new FieldRef("name"); // of a NamedGroup: its own, not to alternate

    private JsseInternals() {}

    /**
     * One field name, read from objects of one or two classes (a TransportContext; a client's or a server's
     * HandshakeContext): the Fields found for the last two classes are kept, so a read is a volatile read, a
     * class compare and {@code Field.get}, not a map lookup by name (issue 14: ~15 reads per handshake event).
     * Two, because a JVM that is both client and server alternates; with one kept, the handshake context's
     * fields were looked up by name on every event (a steady-state profile of saturated resumed handshakes).
     */
    private static final class FieldRef {
        private final String name;
        /** The classes last read and their Fields; null until then, and never for a field this JDK lacks. */
        private volatile Resolved last;

        private volatile Resolved older;

        FieldRef(String name) {
            this.name = name;
        }

        Object get(Object target) {
            if (target == null) {
                return null;
            }
            Class<?> type = target.getClass();
            Resolved r = last;
            if (r == null || r.type != type) {
                Resolved o = older;
                if (o != null && o.type == type) {
                    r = o; // not moved to the front: that would be a shared write on every alternation
                } else {
                    Field f = field(type, name);
                    if (f == null) {
                        return null;
                    }
                    older = r;
                    r = new Resolved(type, f);
                    last = r;
                }
            }
            return value(r.field, target);
        }

        boolean getBoolean(Object target) {
            return isTrue(get(target));
        }
    }

    private static final class Resolved {
        final Class<?> type;
        final Field field;

        Resolved(Class<?> type, Field field) {
            this.type = type;
            this.field = field;
        }
    }

    static Object read(Object target, String name) {
        if (target == null) {
            return null;
        }
        Field field = field(target.getClass(), name);
        return field == null ? null : value(field, target);
    }

    static boolean readBoolean(Object target, String name) {
        return isTrue(read(target, name));
    }

    /** The field's value in {@code target}, or null when it cannot be read. */
    private static Object value(Field field, Object target) {
        try {
            return field.get(target);
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean isTrue(Object value) {
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
        return TRANSPORT.get(transportContext);
    }

    public static Object config(Object transportContext) {
        return SSL_CONFIG.get(transportContext);
    }

    static Object session(Object transportContext) {
        return CON_SESSION.get(transportContext);
    }

    public static Object handshakeContext(Object transportContext) {
        return HANDSHAKE_CONTEXT.get(transportContext);
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
        return IS_CLIENT_MODE.getBoolean(config);
    }

    /** The enabled protocols as {@code ProtocolVersion} constants, or null. */
    @SuppressWarnings("unchecked")
    public static List<Object> enabledProtocols(Object config) {
        Object value = ENABLED_PROTOCOLS.get(config);
        return value instanceof List ? (List<Object>) value : null;
    }

    public static boolean setEnabledProtocols(Object config, List<Object> protocols) {
        return write(config, "enabledProtocols", new ArrayList<>(protocols));
    }

    /** The SNI names a client asked for (SNIServerName list), or an empty list. */
    static List<?> serverNames(Object config) {
        Object value = SERVER_NAMES.get(config);
        return value instanceof List ? (List<?>) value : Collections.emptyList();
    }

    // --- HandshakeContext (only while a handshake runs) ---

    static Boolean resumption(Object handshakeContext) {
        Object value = IS_RESUMPTION.get(handshakeContext);
        return value instanceof Boolean ? (Boolean) value : null;
    }

    /**
     * The key-exchange group (e.g. x25519). TLS 1.3 records it on the handshake; TLS 1.2 (EC)DHE only on
     * the key-exchange credentials (peer's key) and possessions (own key) it holds.
     */
    static String namedGroup(Object handshakeContext) {
        Object group = SELECTED_GROUP.get(handshakeContext);
        if (group == null) {
            group = groupOf(CREDENTIALS.get(handshakeContext));
        }
        if (group == null) {
            group = groupOf(POSSESSIONS.get(handshakeContext));
        }
        if (group == null) {
            return null;
        }
        Object name = GROUP_NAME.get(group);
        return name instanceof String ? (String) name : group.toString();
    }

    /** The named group of the first key-exchange credential or possession that has one, or null. */
    private static Object groupOf(Object items) {
        if (items instanceof List) {
            for (Object item : (List<?>) items) {
                Object group = read(item, "namedGroup");
                if (group != null) {
                    return group;
                }
            }
        }
        return null;
    }

    /** The ALPN protocol the handshake agreed on, or null (JSSE keeps "" for none). */
    static String applicationProtocol(Object transportContext) {
        Object alpn = APPLICATION_PROTOCOL.get(transportContext);
        return alpn instanceof String && !((String) alpn).isEmpty() ? (String) alpn : null;
    }

    /** The protocol a failing handshake had agreed on, if it got that far. */
    static Object negotiatedProtocol(Object handshakeContext) {
        return read(handshakeContext, "negotiatedProtocol");
    }

    // --- SSLSessionImpl ---

    /** The peer's certificates without the exception getPeerCertificates() throws when there are none. */
    static Certificate[] peerCertificates(Object session) {
        Object value = PEER_CERTS.get(session);
        return value instanceof Certificate[] ? (Certificate[]) value : null;
    }

    /** The name of a ProtocolVersion constant (TLS12...) or a JSSE name. */
    public static String constantName(Object protocolVersion) {
        return protocolVersion instanceof Enum ? ((Enum<?>) protocolVersion).name() : String.valueOf(protocolVersion);
    }

    /** The JSSE name (TLSv1.2) of a ProtocolVersion constant. */
    public static String standardName(Object protocolVersion) {
        Object name = VERSION_NAME.get(protocolVersion);
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
