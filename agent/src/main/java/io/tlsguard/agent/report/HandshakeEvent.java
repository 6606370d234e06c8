package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * {@code "event.name":"tls.handshake"}: one handshake, completed or failed. OpenTelemetry
 * semantic-convention names where they exist, {@code tlsguard.*} for the rest (see docs/report.md).
 * Immutable, like {@link PinEvent}: made once by its {@link Builder} on the handshaking thread, then
 * read by the writer thread and the summary.
 */
public final class HandshakeEvent implements Event {
    public final long timeMillis;
    public final boolean established;
    public final boolean client;
    /** SSLSocket or SSLEngine. */
    public final String transport;
    /** JSSE name: TLSv1.2 ... */
    public final String protocol;

    public final String cipher;
    public final String serverAddress;
    public final int serverPort;
    public final String clientAddress;
    public final int clientPort;
    public final String peerAddress;
    public final int peerPort;
    public final String serverName;
    public final String alpn;
    public final Boolean resumed;
    public final String curve;
    public final String peerSubject;
    public final String peerIssuer;
    public final long peerNotAfter;
    public final String[] enabledProtocols;
    public final boolean protocolsChanged;
    public final String mode;
    public final String floor;
    public final String errorType;
    public final String errorMessage;
    public final String alert;
    /** Failed handshakes: why, as far as tlsguard can tell; null for a completed one. */
    public final FailureCause failureCause;
    /** Failed handshakes: the pin that configured this connection's protocols, or null. */
    public final PinOrigin failurePin;
    /** Failed handshakes: the JVM setting that removed the protocols, or null. */
    public final String jvmSetting;
    /** Failed handshakes: the protocols that setting removed, of those that mattered here, or null. */
    public final String[] disabledProtocols;

    public final String threadName;
    public final long threadId;

    private HandshakeEvent(Builder b) {
        this.timeMillis = b.timeMillis;
        this.established = b.established;
        this.client = b.client;
        this.transport = b.transport;
        this.protocol = b.protocol;
        this.cipher = b.cipher;
        this.serverAddress = b.serverAddress;
        this.serverPort = b.serverPort;
        this.clientAddress = b.clientAddress;
        this.clientPort = b.clientPort;
        this.peerAddress = b.peerAddress;
        this.peerPort = b.peerPort;
        this.serverName = b.serverName;
        this.alpn = b.alpn;
        this.resumed = b.resumed;
        this.curve = b.curve;
        this.peerSubject = b.peerSubject;
        this.peerIssuer = b.peerIssuer;
        this.peerNotAfter = b.peerNotAfter;
        this.enabledProtocols = b.enabledProtocols;
        this.protocolsChanged = b.protocolsChanged;
        this.mode = b.mode;
        this.floor = b.floor;
        this.errorType = b.errorType;
        this.errorMessage = b.errorMessage;
        this.alert = b.alert;
        this.failureCause = b.failureCause;
        this.failurePin = b.failurePin;
        this.jvmSetting = b.jvmSetting;
        this.disabledProtocols = b.disabledProtocols;
        this.threadName = b.threadName;
        this.threadId = b.threadId;
    }

    /**
     * A handshake's details as they are read (JSSE's state, then the guard's own: protocols changed, mode,
     * floor), then {@link #build} once. The time and thread are the builder's: when the handshake ended.
     */
    public static Builder builder() {
        return new Builder();
    }

    public String side() {
        return client ? "client" : "server";
    }

    @Override
    public void write(JsonGenerator json, Resource resource) throws IOException {
        json.writeStartObject();
        json.writeStringField("event.name", "tls.handshake");
        json.writeStringField("timestamp", Json.iso(timeMillis));
        resource.write(json);
        severity().write(json);
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
        Json.string(json, client ? "tls.server.subject" : "tls.client.subject", peerSubject);
        Json.string(json, client ? "tls.server.issuer" : "tls.client.issuer", peerIssuer);
        if (peerNotAfter != Long.MIN_VALUE) {
            json.writeStringField(client ? "tls.server.not_after" : "tls.client.not_after", Json.iso(peerNotAfter));
        }
        Json.strings(json, "tlsguard.protocols.enabled", enabledProtocols);
        json.writeBooleanField("tlsguard.protocols.changed", protocolsChanged);
        Json.string(json, "tlsguard.mode", mode);
        Json.string(json, "tlsguard.floor", floor);
        Json.string(json, "error.type", errorType);
        Json.string(json, "exception.message", errorMessage);
        Json.string(json, "tlsguard.alert", alert);
        if (failureCause != null) {
            json.writeStringField("tlsguard.failure.cause", failureCause.label());
        }
        Json.string(json, "tlsguard.failure.jvm_setting", jvmSetting);
        Json.strings(json, "tlsguard.failure.protocols.disabled", disabledProtocols);
        if (failurePin != null) {
            writePin(json, failurePin);
        }
        Json.string(json, "thread.name", threadName);
        json.writeNumberField("thread.id", threadId);
        json.writeEndObject();
    }

    /** WARN for a failed handshake or one below the floor, INFO for one at or above it. */
    @Override
    public Severity severity() {
        return Severity.ofHandshake(established, protocol, floor);
    }

    /** The pin behind a failed handshake, as its pin event names it, under {@code tlsguard.failure.pin.}. */
    private static void writePin(JsonGenerator json, PinOrigin pin) throws IOException {
        json.writeStringField("tlsguard.failure.pin.api", pin.api);
        Json.strings(json, "tlsguard.failure.pin.protocols", pin.requested);
        CallSite site = pin.site;
        if (site == null) {
            return;
        }
        Json.string(json, "tlsguard.failure.pin.code.function.name", site.className + "." + site.methodName);
        Json.string(json, "tlsguard.failure.pin.code.file.path", site.fileName);
        Json.number(json, "tlsguard.failure.pin.code.line.number", site.line);
        LibraryJars.Library library = LibraryJars.SHARED.of(site.library, site.className);
        Json.string(json, "tlsguard.failure.pin.library.jar", library.jar);
        Json.string(json, "tlsguard.failure.pin.library.coordinates", library.coordinates);
        StackTraceElement caller = site.caller;
        if (caller != null) {
            Json.string(
                    json,
                    "tlsguard.failure.pin.caller.function.name",
                    caller.getClassName() + "." + caller.getMethodName());
            Json.string(json, "tlsguard.failure.pin.caller.file.path", caller.getFileName());
            Json.number(json, "tlsguard.failure.pin.caller.line.number", caller.getLineNumber());
        }
    }

    /** Filled on the handshaking thread, then built into the event the writer queues; not shared. */
    public static final class Builder {
        private final long timeMillis = System.currentTimeMillis();
        private boolean established;
        private boolean client;
        private String transport;
        private String protocol;
        private String cipher;
        private String serverAddress;
        private int serverPort = -1;
        private String clientAddress;
        private int clientPort = -1;
        private String peerAddress;
        private int peerPort = -1;
        private String serverName;
        private String alpn;
        private Boolean resumed;
        private String curve;
        private String peerSubject;
        private String peerIssuer;
        private long peerNotAfter = Long.MIN_VALUE;
        private String[] enabledProtocols;
        private boolean protocolsChanged;
        private String mode;
        private String floor;
        private String errorType;
        private String errorMessage;
        private String alert;
        private FailureCause failureCause;
        private PinOrigin failurePin;
        private String jvmSetting;
        private String[] disabledProtocols;
        private final String threadName = Thread.currentThread().getName();
        private final long threadId = Thread.currentThread().getId();

        private Builder() {}

        public Builder established(boolean established) {
            this.established = established;
            return this;
        }

        public Builder client(boolean client) {
            this.client = client;
            return this;
        }

        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder cipher(String cipher) {
            this.cipher = cipher;
            return this;
        }

        public Builder serverAddress(String serverAddress) {
            this.serverAddress = serverAddress;
            return this;
        }

        public Builder serverPort(int serverPort) {
            this.serverPort = serverPort;
            return this;
        }

        public Builder clientAddress(String clientAddress) {
            this.clientAddress = clientAddress;
            return this;
        }

        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        public Builder peerAddress(String peerAddress) {
            this.peerAddress = peerAddress;
            return this;
        }

        public Builder peerPort(int peerPort) {
            this.peerPort = peerPort;
            return this;
        }

        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        public Builder alpn(String alpn) {
            this.alpn = alpn;
            return this;
        }

        public Builder resumed(Boolean resumed) {
            this.resumed = resumed;
            return this;
        }

        public Builder curve(String curve) {
            this.curve = curve;
            return this;
        }

        public Builder peerSubject(String peerSubject) {
            this.peerSubject = peerSubject;
            return this;
        }

        public Builder peerIssuer(String peerIssuer) {
            this.peerIssuer = peerIssuer;
            return this;
        }

        public Builder peerNotAfter(long peerNotAfter) {
            this.peerNotAfter = peerNotAfter;
            return this;
        }

        public Builder enabledProtocols(String[] enabledProtocols) {
            this.enabledProtocols = enabledProtocols;
            return this;
        }

        public Builder protocolsChanged(boolean protocolsChanged) {
            this.protocolsChanged = protocolsChanged;
            return this;
        }

        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        public Builder floor(String floor) {
            this.floor = floor;
            return this;
        }

        public Builder errorType(String errorType) {
            this.errorType = errorType;
            return this;
        }

        public Builder errorMessage(String errorMessage) {
            this.errorMessage = errorMessage;
            return this;
        }

        public Builder alert(String alert) {
            this.alert = alert;
            return this;
        }

        public Builder failureCause(FailureCause failureCause) {
            this.failureCause = failureCause;
            return this;
        }

        public Builder failurePin(PinOrigin failurePin) {
            this.failurePin = failurePin;
            return this;
        }

        /** The JVM setting that removed protocols, and which of them mattered to this handshake. */
        public Builder jvmSetting(String jvmSetting, String[] disabledProtocols) {
            this.jvmSetting = jvmSetting;
            this.disabledProtocols = disabledProtocols;
            return this;
        }

        public boolean isEstablished() {
            return established;
        }

        public String alert() {
            return alert;
        }

        public String errorMessage() {
            return errorMessage;
        }

        public String[] enabledProtocols() {
            return enabledProtocols;
        }

        public boolean protocolsChanged() {
            return protocolsChanged;
        }

        /** Whose side the details are read on: the client's names its server by SNI. */
        public boolean isClient() {
            return client;
        }

        public String serverName() {
            return serverName;
        }

        public HandshakeEvent build() {
            return new HandshakeEvent(this);
        }
    }
}
