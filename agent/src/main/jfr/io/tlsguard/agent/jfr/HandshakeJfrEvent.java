package io.tlsguard.agent.jfr;

import io.tlsguard.agent.report.CallSite;
import io.tlsguard.agent.report.HandshakeEvent;
import io.tlsguard.agent.report.PinOrigin;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timestamp;

/**
 * {@code tlsguard.Handshake}: the report's {@code tls.handshake}, committed on the handshaking thread.
 * Unlike the JDK's {@code jdk.TLSHandshake} it has both sides, TLS 1.2 server and resumed handshakes, and
 * failures with their cause. Names and values follow {@code jdk.TLSHandshake} where both have one (JSSE's
 * protocol and cipher suite names); a port of 0 is unknown.
 */
@Name("tlsguard.Handshake")
@Label("TLS Handshake (tlsguard)")
@Category({"tlsguard", "TLS"})
@Description("A TLS handshake this JVM made or accepted, established or failed, as tlsguard reports it")
@StackTrace(true)
final class HandshakeJfrEvent extends Event {
    @Label("Established")
    boolean established;

    @Label("Side")
    @Description("client or server: this JVM's side of the connection")
    String side;

    @Label("Transport")
    @Description("SSLSocket or SSLEngine")
    String transport;

    @Label("Protocol Version")
    @Description("The negotiated protocol (JSSE name: TLSv1.3, TLSv1.2...)")
    String protocolVersion;

    @Label("Cipher Suite")
    String cipherSuite;

    @Label("Server Address")
    String serverAddress;

    @Label("Server Port")
    int serverPort;

    @Label("Client Address")
    String clientAddress;

    @Label("Client Port")
    int clientPort;

    @Label("Peer Address")
    String peerAddress;

    @Label("Peer Port")
    int peerPort;

    @Label("Server Name")
    @Description("The SNI host name the client sent")
    String serverName;

    @Label("Application Protocol")
    @Description("ALPN's choice, e.g. h2")
    String applicationProtocol;

    @Label("Resumed")
    boolean resumed;

    @Label("Key Exchange Group")
    String curve;

    @Label("Peer Certificate Subject")
    String peerSubject;

    @Label("Peer Certificate Issuer")
    String peerIssuer;

    @Label("Peer Certificate Not After")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long peerNotAfter;

    @Label("Enabled Protocols")
    @Description("The protocols the connection could use, comma-separated")
    String enabledProtocols;

    @Label("Protocols Changed")
    @Description("Whether tlsguard changed this connection's protocols (enforce)")
    boolean protocolsChanged;

    @Label("Mode")
    @Description("tlsguard's mode: report, enforce or deny")
    String mode;

    @Label("Floor")
    @Description("The lowest protocol tlsguard accepts")
    String floor;

    @Label("Error Type")
    String errorType;

    @Label("Error Message")
    String errorMessage;

    @Label("Alert")
    @Description("The TLS alert sent or received")
    String alert;

    @Label("Failure Cause")
    @Description("Why the handshake failed, as far as tlsguard can tell (see tlsguard's docs/report.md)")
    String failureCause;

    @Label("Failure JVM Setting")
    @Description("The JVM setting that removed protocols, e.g. jdk.tls.disabledAlgorithms")
    String failureJvmSetting;

    @Label("Failure Disabled Protocols")
    String failureDisabledProtocols;

    @Label("Failure Pin API")
    @Description("The pin behind this connection's protocols")
    String failurePinApi;

    @Label("Failure Pin Protocols")
    String failurePinProtocols;

    @Label("Failure Pin Call Site")
    @Description("class.method:line of the pin behind this connection's protocols")
    String failurePinCallSite;

    static void commit(HandshakeEvent handshake) {
        HandshakeJfrEvent event = new HandshakeJfrEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.established = handshake.established;
        event.side = handshake.side();
        event.transport = handshake.transport;
        event.protocolVersion = handshake.protocol;
        event.cipherSuite = handshake.cipher;
        event.serverAddress = handshake.serverAddress;
        event.serverPort = port(handshake.serverPort);
        event.clientAddress = handshake.clientAddress;
        event.clientPort = port(handshake.clientPort);
        event.peerAddress = handshake.peerAddress;
        event.peerPort = port(handshake.peerPort);
        event.serverName = handshake.serverName;
        event.applicationProtocol = handshake.alpn;
        event.resumed = Boolean.TRUE.equals(handshake.resumed);
        event.curve = handshake.curve;
        event.peerSubject = handshake.peerSubject;
        event.peerIssuer = handshake.peerIssuer;
        event.peerNotAfter = handshake.peerNotAfter == Long.MIN_VALUE ? 0 : handshake.peerNotAfter;
        event.enabledProtocols = Texts.list(handshake.enabledProtocols);
        event.protocolsChanged = handshake.protocolsChanged;
        event.mode = handshake.mode;
        event.floor = handshake.floor;
        event.errorType = handshake.errorType;
        event.errorMessage = handshake.errorMessage;
        event.alert = handshake.alert;
        event.failureCause = handshake.failureCause == null ? null : handshake.failureCause.label();
        event.failureJvmSetting = handshake.jvmSetting;
        event.failureDisabledProtocols = Texts.list(handshake.disabledProtocols);
        PinOrigin pin = handshake.failurePin;
        if (pin != null) {
            event.failurePinApi = pin.api;
            event.failurePinProtocols = Texts.list(pin.requested);
            CallSite site = pin.site;
            if (site != null) {
                event.failurePinCallSite = site.className + "." + site.methodName + ":" + site.line;
            }
        }
        event.commit();
    }

    private static int port(int port) {
        return port < 0 ? 0 : port;
    }
}
