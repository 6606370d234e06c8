package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * {@code "event.name":"tls.handshake"}: one handshake, completed or failed. OpenTelemetry
 * semantic-convention names where they exist, {@code tlsguard.*} for the rest (see docs/report.md).
 */
public final class HandshakeEvent implements Event {
    public long timeMillis = System.currentTimeMillis();
    public boolean established;
    public boolean client;
    /** SSLSocket or SSLEngine. */
    public String transport;
    /** JSSE name: TLSv1.2 ... */
    public String protocol;
    public String cipher;
    public String serverAddress;
    public int serverPort = -1;
    public String clientAddress;
    public int clientPort = -1;
    public String peerAddress;
    public int peerPort = -1;
    public String serverName;
    public String alpn;
    public Boolean resumed;
    public String curve;
    public String peerSubject;
    public String peerIssuer;
    public long peerNotAfter = Long.MIN_VALUE;
    public String[] enabledProtocols;
    public boolean protocolsChanged;
    public String mode;
    public String floor;
    public String errorType;
    public String errorMessage;
    public String alert;
    public String threadName = Thread.currentThread().getName();
    public long threadId = Thread.currentThread().getId();

    public String side() {
        return client ? "client" : "server";
    }

    @Override
    public void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("event.name", "tls.handshake");
        json.writeStringField("timestamp", Json.iso(timeMillis));
        json.writeBooleanField("tls.established", established);
        json.writeStringField("tlsguard.side", side());
        Json.string(json, "tlsguard.transport", transport);
        Json.string(json, "tls.protocol.name", Json.protocolName(protocol));
        Json.string(json, "tls.protocol.version", Json.protocolVersion(protocol));
        Json.string(json, "tls.cipher", Json.ianaCipher(cipher));
        Json.string(json, "server.address", serverAddress);
        Json.number(json, "server.port", serverPort);
        Json.string(json, "client.address", clientAddress);
        Json.number(json, "client.port", clientPort);
        Json.string(json, "network.peer.address", peerAddress);
        Json.number(json, "network.peer.port", peerPort);
        Json.string(json, "tls.client.server_name", serverName);
        Json.string(json, "tls.next_protocol", alpn);
        Json.bool(json, "tls.resumed", resumed);
        Json.string(json, "tls.curve", curve);
        String peer = client ? "tls.server." : "tls.client.";
        Json.string(json, peer + "subject", peerSubject);
        Json.string(json, peer + "issuer", peerIssuer);
        if (peerNotAfter != Long.MIN_VALUE) {
            json.writeStringField(peer + "not_after", Json.iso(peerNotAfter));
        }
        Json.strings(json, "tlsguard.protocols.enabled", enabledProtocols);
        json.writeBooleanField("tlsguard.protocols.changed", protocolsChanged);
        Json.string(json, "tlsguard.mode", mode);
        Json.string(json, "tlsguard.floor", floor);
        Json.string(json, "error.type", errorType);
        Json.string(json, "exception.message", errorMessage);
        Json.string(json, "tlsguard.alert", alert);
        Json.string(json, "thread.name", threadName);
        json.writeNumberField("thread.id", threadId);
        json.writeEndObject();
    }
}
