package io.tlsguard.agent.hooks;

import static io.tlsguard.agent.hooks.HookPoint.ANY;
import static io.tlsguard.agent.hooks.HookPoint.ANY_RETURN;
import static io.tlsguard.agent.hooks.HookPoint.CONSTRUCTOR;
import static io.tlsguard.agent.hooks.HookPoint.MORE;
import static io.tlsguard.agent.hooks.HookPoint.PROVIDER_IMPLEMENTATIONS;
import static io.tlsguard.agent.hooks.HookPoint.SSL_IMPLEMENTATIONS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every hook tlsguard puts into the JVM, in one table. Adding a hook is one entry here, one advice
 * class in {@code hooks.advice} (calling a new {@code TlsGuardHooks} method) and one handler method
 * ({@code HookHandler}, {@link Guard}, {@link PrivilegedHandler}); the weaving, the transformer's
 * name filter and the check of docs/how-it-works.md all read this table.
 *
 * <p>Order matters only within a class: advice on one class is woven in table order.
 */
public final class HookTable {
    private static final String STRING = "Ljava/lang/String;";
    private static final String STRINGS = "[Ljava/lang/String;";
    private static final String VOID = "V";
    private static final String ENGINE_RESULT = "Ljavax/net/ssl/SSLEngineResult;";

    /** The JDK's own socket, server socket and engine: hooked by name, like the classes named below. */
    private static final List<String> JDK_SSL_IMPLEMENTATIONS = Collections.unmodifiableList(Arrays.asList(
            "sun.security.ssl.SSLSocketImpl",
            "sun.security.ssl.SSLServerSocketImpl",
            "sun.security.ssl.SSLEngineImpl"));

    /**
     * What {@link HookPoint#SSL_IMPLEMENTATIONS} stands for: every class that extends one of these. The
     * three public JSSE types, and the JDK's own base of its sockets, which a provider may extend too
     * (named so that a walk up a provider's superclasses by name stops there, without reading JSSE's classes).
     */
    public static final List<String> SSL_BASE_TYPES = Collections.unmodifiableList(Arrays.asList(
            "javax.net.ssl.SSLSocket",
            "javax.net.ssl.SSLServerSocket",
            "javax.net.ssl.SSLEngine",
            "sun.security.ssl.BaseSSLSocketImpl"));

    private static final List<HookPoint> JSSE = Arrays.asList(
            // public API: who pinned a protocol, with the application's call site
            new HookPoint(
                    "javax.net.ssl.SSLContext",
                    "getInstance",
                    true,
                    new String[] {STRING, MORE},
                    ANY_RETURN,
                    "ContextProtocolAdvice",
                    "SSLContext.getInstance(String[, String or Provider])"),
            new HookPoint(
                    "javax.net.ssl.SSLParameters",
                    "setProtocols",
                    false,
                    new String[] {STRINGS},
                    VOID,
                    "ProtocolsAdvice",
                    "SSLParameters.setProtocols(String[])"),
            // JSSE internals: what is negotiated
            new HookPoint(
                    "sun.security.ssl.HandshakeContext",
                    CONSTRUCTOR,
                    false,
                    new String[] {ANY, "Lsun/security/ssl/TransportContext;"},
                    ANY_RETURN,
                    "HandshakeStartAdvice",
                    "HandshakeContext(SSLContextImpl, TransportContext)"),
            new HookPoint(
                    "sun.security.ssl.TransportContext",
                    "finishHandshake",
                    false,
                    new String[0],
                    ANY_RETURN,
                    "HandshakeFinishedAdvice",
                    "TransportContext.finishHandshake()"),
            new HookPoint(
                    "sun.security.ssl.TransportContext",
                    "fatal",
                    false,
                    new String[] {ANY, ANY, ANY, ANY},
                    ANY_RETURN,
                    "FatalAdvice",
                    "TransportContext.fatal(Alert, String, boolean, Throwable)"),
            new HookPoint(
                    "sun.security.ssl.TransportContext",
                    "closeOutbound",
                    false,
                    new String[0],
                    VOID,
                    "CloseOutboundAdvice",
                    "TransportContext.closeOutbound()"),
            // every socket, server socket and engine, the JDK's and any provider's
            new HookPoint(
                    SSL_IMPLEMENTATIONS,
                    "setEnabledProtocols",
                    false,
                    new String[] {STRINGS},
                    VOID,
                    "ProtocolsAdvice",
                    "setEnabledProtocols(String[])"),
            new HookPoint(
                    SSL_IMPLEMENTATIONS,
                    "setSSLParameters",
                    false,
                    new String[] {"Ljavax/net/ssl/SSLParameters;"},
                    VOID,
                    "ParametersAdvice",
                    "setSSLParameters(SSLParameters)"),
            new HookPoint(SSL_IMPLEMENTATIONS, "accept", false, new String[0], ANY_RETURN, "AcceptAdvice", "accept()"),
            // a provider's own handshakes (Bouncy Castle's JSSE): they never pass sun.security.ssl
            new HookPoint(
                    PROVIDER_IMPLEMENTATIONS,
                    "startHandshake",
                    false,
                    new String[] {"Z"},
                    VOID,
                    "ProviderHandshakeAdvice",
                    "startHandshake(boolean)"),
            new HookPoint(
                    PROVIDER_IMPLEMENTATIONS,
                    "beginHandshake",
                    false,
                    new String[0],
                    VOID,
                    "ProviderHandshakeAdvice",
                    "beginHandshake()"),
            new HookPoint(
                    PROVIDER_IMPLEMENTATIONS,
                    "notifyHandshakeComplete",
                    false,
                    new String[] {ANY},
                    VOID,
                    "ProviderHandshakeCompleteAdvice",
                    "notifyHandshakeComplete(ProvSSLConnection)"),
            // every engine outside the JDK (netty-tcnative's...): its handshakes, seen through the public API
            new HookPoint(
                    PROVIDER_IMPLEMENTATIONS,
                    "wrap",
                    false,
                    new String[] {MORE},
                    ENGINE_RESULT,
                    "EngineResultAdvice",
                    "wrap(...)"),
            new HookPoint(
                    PROVIDER_IMPLEMENTATIONS,
                    "unwrap",
                    false,
                    new String[] {MORE},
                    ENGINE_RESULT,
                    "EngineResultAdvice",
                    "unwrap(...)"));

    /**
     * Libraries that decide on protocols before any JSSE call (OkHttp drops a connection whose
     * ConnectionSpec shares no version with the socket's enabled protocols, before setEnabledProtocols; its 4.x
     * and 3.x constructors differ, its selector does not):
     * their classes are hooked by name, and only where the application's loader (not the JDK) defined them.
     */
    private static final List<HookPoint> LIBRARIES = Arrays.asList(
            new HookPoint(
                    "okhttp3.ConnectionSpec",
                    CONSTRUCTOR,
                    false,
                    new String[] {"Z", "Z", STRINGS, STRINGS},
                    VOID,
                    "ConnectionSpecAdvice",
                    "okhttp3.ConnectionSpec(boolean, boolean, String[], String[])"),
            // OkHttp 3.x (Java): the spec copies the builder's versions into its field
            new HookPoint(
                    "okhttp3.ConnectionSpec",
                    CONSTRUCTOR,
                    false,
                    new String[] {"Lokhttp3/ConnectionSpec$Builder;"},
                    VOID,
                    "ConnectionSpec3Advice",
                    "okhttp3.ConnectionSpec(ConnectionSpec.Builder)"),
            new HookPoint(
                    "okhttp3.internal.connection.ConnectionSpecSelector",
                    "configureSecureSocket",
                    false,
                    new String[] {"Ljavax/net/ssl/SSLSocket;"},
                    ANY_RETURN,
                    "ConnectionSpecSelectorAdvice",
                    "okhttp3.internal.connection.ConnectionSpecSelector.configureSecureSocket(SSLSocket)"));

    public static final List<HookPoint> ALL = all();

    /** The JDK classes hooked by name: every JDK class named in the table, and the JDK's own implementations. */
    public static final Set<String> NAMED_CLASSES = owners(JSSE, JDK_SSL_IMPLEMENTATIONS);

    /**
     * The library classes hooked by name, where an application's loader (not the JDK's) defines them; cached like
     * the JDK's classes (an entry holds the exact original class file, so each library version has its own).
     */
    public static final Set<String> LIBRARY_CLASSES = owners(LIBRARIES, Collections.<String>emptyList());

    private HookTable() {}

    private static List<HookPoint> all() {
        List<HookPoint> all = new ArrayList<>(JSSE);
        all.addAll(LIBRARIES);
        return Collections.unmodifiableList(all);
    }

    private static Set<String> owners(List<HookPoint> hooks, List<String> more) {
        Set<String> named = new LinkedHashSet<>();
        for (HookPoint hook : hooks) {
            if (!hook.onSslImplementations()) {
                named.add(hook.owner());
            }
        }
        named.addAll(more);
        return Collections.unmodifiableSet(named);
    }
}
