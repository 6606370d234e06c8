package io.tlsguard.inventory;

import java.util.ArrayList;
import java.util.List;

/** Crafted report lines, as tlsguard writes them (identity fields included), for the inventory's unit tests. */
final class Lines {
    private Lines() {}

    static String identity(String service, String host, int pid) {
        return "\"service.name\":\"" + service + "\",\"host.name\":\"" + host + "\",\"process.pid\":" + pid
                + ",\"process.runtime.name\":\"OpenJDK Runtime Environment\",\"process.runtime.version\":\"17.0.12\""
                + ",\"process.command\":\"com.example.Main\",";
    }

    static String handshake(String id, String ts, String side, String version, String server, int port, String client) {
        return "{\"event.name\":\"tls.handshake\",\"timestamp\":\"" + ts + "\"," + id
                + "\"severity_text\":\"WARN\",\"severity_number\":13,\"tls.established\":true,\"tlsguard.side\":\""
                + side
                + "\",\"tlsguard.transport\":\"SSLSocket\",\"tls.protocol.name\":\"tls\",\"tls.protocol.version\":\""
                + version + "\",\"server.address\":\"" + server + "\",\"server.port\":" + port
                + ",\"client.address\":\"" + client + "\",\"client.port\":50000,"
                + "\"tlsguard.protocols.enabled\":[\"TLSv1\"],\"tlsguard.protocols.changed\":false,"
                + "\"tlsguard.mode\":\"report\",\"tlsguard.floor\":\"TLSv1.2\",\"thread.name\":\"main\",\"thread.id\":1}";
    }

    static String failed(String id, String ts, String cause, String enabled, String pinFields) {
        return "{\"event.name\":\"tls.handshake\",\"timestamp\":\"" + ts + "\"," + id
                + "\"tls.established\":false,\"tlsguard.side\":\"client\",\"server.address\":\"mail.example\","
                + "\"server.port\":465,\"tlsguard.protocols.enabled\":" + enabled
                + ",\"tlsguard.protocols.changed\":false,"
                + "\"tlsguard.mode\":\"report\",\"tlsguard.floor\":\"TLSv1.2\",\"error.type\":\"javax.net.ssl.SSLHandshakeException\","
                + "\"exception.message\":\"No appropriate protocol\",\"tlsguard.failure.cause\":\"" + cause + "\""
                + pinFields + ",\"thread.name\":\"main\",\"thread.id\":1}";
    }

    static String pin(String id, String ts, String requested, String function, int line) {
        return "{\"event.name\":\"tlsguard.protocol_pin\",\"timestamp\":\"" + ts + "\"," + id
                + "\"tlsguard.api\":\"SSLContext.getInstance\",\"tlsguard.protocols.requested\":" + requested
                + ",\"tlsguard.protocols.applied\":" + requested + ",\"tlsguard.action\":\"observed\","
                + "\"code.function.name\":\"" + function + "\",\"code.file.path\":\"Mailer.java\",\"code.line.number\":"
                + line + ",\"tlsguard.library.jar\":\"/opt/billing/lib/mail.jar\","
                + "\"tlsguard.library.coordinates\":\"com.sun.mail:javax.mail:1.6.2\",\"tlsguard.pin.occurrence\":1,"
                + "\"thread.name\":\"main\"}";
    }

    static String summary(String id, String ts) {
        return "{\"event.name\":\"tlsguard.summary\",\"timestamp\":\"" + ts + "\"," + id
                + "\"tlsguard.mode\":\"report\"}";
    }

    static List<String> of(String... lines) {
        return new ArrayList<>(List.of(lines));
    }
}
