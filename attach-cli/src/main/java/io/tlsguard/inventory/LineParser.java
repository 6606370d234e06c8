package io.tlsguard.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line into a {@link ReportLine} with Jackson's streaming parser: no tree, only the fields the inventory
 * reads, the rest skipped. A line is tlsguard's when it is one JSON object with a known {@code event.name} and a
 * {@code timestamp}; the outcome says why a line was not used.
 */
final class LineParser {
    /** Longest string value kept (longer ones are cut, with "…"). */
    static final int MAX_VALUE = 512;
    /** Most array elements kept (protocol lists have at most six). */
    static final int MAX_ARRAY = 16;

    enum Outcome {
        USED,
        /** Not JSON, or cut short (a crash's last line). */
        INVALID_JSON,
        /** JSON, but not a tlsguard event (another program's line, an unknown event). */
        NOT_TLSGUARD,
        /** A tlsguard event without service.name: written by a tlsguard before the identity fields. */
        NO_SERVICE_NAME
    }

    private final JsonFactory factory = new JsonFactory();

    /** Fills {@code into} (fresh) from {@code bytes[off, off+len)}. */
    Outcome parse(byte[] bytes, int off, int len, ReportLine into) {
        try (JsonParser p = factory.createParser(bytes, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Outcome.INVALID_JSON;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                field(p, name, into);
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Outcome.INVALID_JSON;
            }
        } catch (IOException | RuntimeException e) {
            return Outcome.INVALID_JSON;
        }
        if (!known(into.event) || into.timestamp == null) {
            return Outcome.NOT_TLSGUARD;
        }
        if (into.event.equals(ReportLine.HANDSHAKE) && (into.established == null || into.side == null)) {
            return Outcome.NOT_TLSGUARD;
        }
        return into.service == null || into.service.isEmpty() ? Outcome.NO_SERVICE_NAME : Outcome.USED;
    }

    private static boolean known(String event) {
        return ReportLine.HANDSHAKE.equals(event) || ReportLine.PIN.equals(event) || ReportLine.SUMMARY.equals(event);
    }

    @SuppressWarnings("checkstyle:CyclomaticComplexity") // one case a field: a table, read as one
    private static void field(JsonParser p, String name, ReportLine l) throws IOException {
        switch (name) {
            case "event.name":
                l.event = text(p);
                break;
            case "timestamp":
                l.timestamp = text(p);
                break;
            case "service.name":
                l.service = text(p);
                break;
            case "host.name":
                l.host = text(p);
                break;
            case "process.pid":
                l.pid = number(p);
                break;
            case "process.runtime.name":
                l.runtimeName = text(p);
                break;
            case "process.runtime.version":
                l.runtimeVersion = text(p);
                break;
            case "tls.established":
                l.established = bool(p);
                break;
            case "tlsguard.side":
                l.side = text(p);
                break;
            case "tls.protocol.name":
                l.protocolName = text(p);
                break;
            case "tls.protocol.version":
                l.protocolVersion = text(p);
                break;
            case "server.address":
                l.serverAddress = text(p);
                break;
            case "server.port":
                l.serverPort = number(p);
                break;
            case "client.address":
                l.clientAddress = text(p);
                break;
            case "tlsguard.protocols.enabled":
                l.enabled = strings(p);
                break;
            case "error.type":
                l.errorType = text(p);
                break;
            case "exception.message":
                l.exceptionMessage = text(p);
                break;
            case "tlsguard.alert":
                l.alert = text(p);
                break;
            case "tlsguard.floor":
                l.agentFloor = text(p);
                break;
            case "tlsguard.failure.cause":
                l.failureCause = text(p);
                break;
            case "tlsguard.failure.pin.api":
                l.failurePinApi = text(p);
                break;
            case "tlsguard.failure.pin.protocols":
                l.failurePinProtocols = strings(p);
                break;
            case "tlsguard.failure.pin.code.function.name":
                l.failurePin.function = text(p);
                break;
            case "tlsguard.failure.pin.code.file.path":
                l.failurePin.file = text(p);
                break;
            case "tlsguard.failure.pin.code.line.number":
                l.failurePin.line = number(p);
                break;
            case "tlsguard.failure.pin.library.jar":
                l.failurePin.jar = text(p);
                break;
            case "tlsguard.failure.pin.library.coordinates":
                l.failurePin.coordinates = text(p);
                break;
            case "tlsguard.api":
                l.api = text(p);
                break;
            case "tlsguard.protocols.requested":
                l.requested = strings(p);
                break;
            case "tlsguard.protocols.applied":
                l.applied = strings(p);
                break;
            case "tlsguard.action":
                l.action = text(p);
                break;
            case "code.function.name":
                l.site.function = text(p);
                break;
            case "code.file.path":
                l.site.file = text(p);
                break;
            case "code.line.number":
                l.site.line = number(p);
                break;
            case "tlsguard.library.jar":
                l.site.jar = text(p);
                break;
            case "tlsguard.library.coordinates":
                l.site.coordinates = text(p);
                break;
            default:
                p.skipChildren();
        }
    }

    /** A string value (cut to MAX_VALUE), or null for any other type (skipped). */
    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        return cut(p.getText());
    }

    static String cut(String s) {
        return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "…";
    }

    private static long number(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            return -1;
        }
        return p.getValueAsLong(-1);
    }

    private static Boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        p.skipChildren();
        return null;
    }

    private static List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<String> out = new ArrayList<>(4);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING && out.size() < MAX_ARRAY) {
                out.add(cut(p.getText()));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }
}
