package io.tlsguard.inventory;

import java.util.List;

/**
 * The fields of one report line the inventory uses (everything else is skipped while parsing). Strings are cut to
 * {@link LineParser#MAX_VALUE} characters: a hostile or broken report cannot make the inventory hold large values.
 */
final class ReportLine {
    static final String HANDSHAKE = "tls.handshake";
    static final String PIN = "tlsguard.protocol_pin";
    static final String SUMMARY = "tlsguard.summary";

    String event;
    String timestamp;

    // identity (OpenTelemetry resource attributes)
    String service;
    String host;
    long pid = -1;
    String runtimeName;
    String runtimeVersion;

    // tls.handshake
    Boolean established;
    String side;
    String protocolName;
    String protocolVersion;
    String serverAddress;
    long serverPort = -1;
    String clientAddress;
    List<String> enabled;
    String errorType;
    String exceptionMessage;
    String alert;
    String agentFloor;
    String failureCause;
    List<String> failurePinProtocols;
    String failurePinApi;
    final Site failurePin = new Site();

    // tlsguard.protocol_pin
    String api;
    List<String> requested;
    List<String> applied;
    String action;
    final Site site = new Site();

    /** A call site: code.function.name, code.file.path:code.line.number, the library it is in. */
    static final class Site {
        String function;
        String file;
        long line = -1;
        String jar;
        String coordinates;

        boolean known() {
            return function != null;
        }
    }

    /** The negotiated version as a JSSE name (TLSv1), or null when the handshake agreed on none. */
    String negotiated() {
        return Protocol.nameOf(protocolName, protocolVersion);
    }

    /** The server this JVM connected to, as host:port (client side). */
    String serverPeer() {
        String host = serverAddress == null ? "?" : serverAddress;
        return serverPort < 0 ? host : host + ":" + serverPort;
    }
}
