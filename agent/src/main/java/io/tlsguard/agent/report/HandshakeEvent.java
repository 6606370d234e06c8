package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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

    /**
     * The field names of every handshake line, encoded once: Jackson then copies their bytes instead of
     * checking and encoding each name's characters on every line (23% of the writer's time, issue 14).
     */
    private static final class Names {
        static final SerializedString TLSGUARD_TRANSPORT = new SerializedString("tlsguard.transport");
        static final SerializedString TLS_PROTOCOL_NAME = new SerializedString("tls.protocol.name");
        static final SerializedString TLS_PROTOCOL_VERSION = new SerializedString("tls.protocol.version");
        static final SerializedString TLS_CIPHER = new SerializedString("tls.cipher");
        static final SerializedString SERVER_ADDRESS = new SerializedString("server.address");
        static final SerializedString SERVER_PORT = new SerializedString("server.port");
        static final SerializedString CLIENT_ADDRESS = new SerializedString("client.address");
        static final SerializedString CLIENT_PORT = new SerializedString("client.port");
        static final SerializedString NETWORK_PEER_ADDRESS = new SerializedString("network.peer.address");
        static final SerializedString NETWORK_PEER_PORT = new SerializedString("network.peer.port");
        static final SerializedString TLS_CLIENT_SERVER_NAME = new SerializedString("tls.client.server_name");
        static final SerializedString TLS_NEXT_PROTOCOL = new SerializedString("tls.next_protocol");
        static final SerializedString TLS_RESUMED = new SerializedString("tls.resumed");
        static final SerializedString TLS_CURVE = new SerializedString("tls.curve");
        static final SerializedString TLSGUARD_PROTOCOLS_ENABLED = new SerializedString("tlsguard.protocols.enabled");
        static final SerializedString TLSGUARD_MODE = new SerializedString("tlsguard.mode");
        static final SerializedString TLSGUARD_FLOOR = new SerializedString("tlsguard.floor");
        static final SerializedString ERROR_TYPE = new SerializedString("error.type");
        static final SerializedString EXCEPTION_MESSAGE = new SerializedString("exception.message");
        static final SerializedString TLSGUARD_ALERT = new SerializedString("tlsguard.alert");
        static final SerializedString TLSGUARD_FAILURE_JVM_SETTING =
                new SerializedString("tlsguard.failure.jvm_setting");
        static final SerializedString TLSGUARD_FAILURE_PROTOCOLS_DISABLED =
                new SerializedString("tlsguard.failure.protocols.disabled");
        static final SerializedString THREAD_NAME = new SerializedString("thread.name");
        static final SerializedString TLS_SERVER_SUBJECT = new SerializedString("tls.server.subject");
        static final SerializedString TLS_CLIENT_SUBJECT = new SerializedString("tls.client.subject");
        static final SerializedString TLS_SERVER_ISSUER = new SerializedString("tls.server.issuer");
        static final SerializedString TLS_CLIENT_ISSUER = new SerializedString("tls.client.issuer");
        static final SerializedString TLS_SERVER_NOT_AFTER = new SerializedString("tls.server.not_after");
        static final SerializedString TLS_CLIENT_NOT_AFTER = new SerializedString("tls.client.not_after");
        static final SerializedString EVENT_NAME = new SerializedString("event.name");
        static final SerializedString TIMESTAMP = new SerializedString("timestamp");
        static final SerializedString TLS_ESTABLISHED = new SerializedString("tls.established");
        static final SerializedString TLSGUARD_SIDE = new SerializedString("tlsguard.side");
        static final SerializedString TLSGUARD_PROTOCOLS_CHANGED = new SerializedString("tlsguard.protocols.changed");
        static final SerializedString TLSGUARD_FAILURE_CAUSE = new SerializedString("tlsguard.failure.cause");
        static final SerializedString THREAD_ID = new SerializedString("thread.id");
    }

    @Override
    public void write(JsonGenerator json, Resource resource) throws IOException {
        json.writeStartObject();
        Json.put(json, Names.EVENT_NAME, "tls.handshake");
        Json.put(json, Names.TIMESTAMP, Json.iso(timeMillis));
        resource.write(json);
        severity().write(json);
        Json.put(json, Names.TLS_ESTABLISHED, established);
        Json.put(json, Names.TLSGUARD_SIDE, side());
        Json.string(json, Names.TLSGUARD_TRANSPORT, transport);
        Json.string(json, Names.TLS_PROTOCOL_NAME, Json.protocolName(protocol));
        Json.string(json, Names.TLS_PROTOCOL_VERSION, Json.protocolVersion(protocol));
        Json.string(json, Names.TLS_CIPHER, Json.ianaCipher(cipher));
        Json.string(json, Names.SERVER_ADDRESS, serverAddress);
        Json.number(json, Names.SERVER_PORT, serverPort);
        Json.string(json, Names.CLIENT_ADDRESS, clientAddress);
        Json.number(json, Names.CLIENT_PORT, clientPort);
        Json.string(json, Names.NETWORK_PEER_ADDRESS, peerAddress);
        Json.number(json, Names.NETWORK_PEER_PORT, peerPort);
        Json.string(json, Names.TLS_CLIENT_SERVER_NAME, serverName);
        Json.string(json, Names.TLS_NEXT_PROTOCOL, alpn);
        Json.bool(json, Names.TLS_RESUMED, resumed);
        Json.string(json, Names.TLS_CURVE, curve);
        Json.string(json, client ? Names.TLS_SERVER_SUBJECT : Names.TLS_CLIENT_SUBJECT, peerSubject);
        Json.string(json, client ? Names.TLS_SERVER_ISSUER : Names.TLS_CLIENT_ISSUER, peerIssuer);
        if (peerNotAfter != Long.MIN_VALUE) {
            Json.put(json, client ? Names.TLS_SERVER_NOT_AFTER : Names.TLS_CLIENT_NOT_AFTER, Json.iso(peerNotAfter));
        }
        Json.strings(json, Names.TLSGUARD_PROTOCOLS_ENABLED, enabledProtocols);
        Json.put(json, Names.TLSGUARD_PROTOCOLS_CHANGED, protocolsChanged);
        Json.string(json, Names.TLSGUARD_MODE, mode);
        Json.string(json, Names.TLSGUARD_FLOOR, floor);
        Json.string(json, Names.ERROR_TYPE, errorType);
        Json.string(json, Names.EXCEPTION_MESSAGE, errorMessage);
        Json.string(json, Names.TLSGUARD_ALERT, alert);
        if (failureCause != null) {
            Json.put(json, Names.TLSGUARD_FAILURE_CAUSE, failureCause.label());
        }
        Json.string(json, Names.TLSGUARD_FAILURE_JVM_SETTING, jvmSetting);
        Json.strings(json, Names.TLSGUARD_FAILURE_PROTOCOLS_DISABLED, disabledProtocols);
        if (failurePin != null) {
            writePin(json, failurePin);
        }
        Json.string(json, Names.THREAD_NAME, threadName);
        Json.put(json, Names.THREAD_ID, threadId);
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
