package io.tlsguard.agent.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A report line as an OTLP log record, in the OTLP/HTTP JSON encoding of opentelemetry-proto 1.5+
 * (lowerCamelCase field names, 64-bit integers as decimal strings, enums as integers):
 *
 * <ul>
 *   <li>{@code event.name} becomes the record's {@code eventName} (the semantic conventions deprecate the
 *       {@code event.name} attribute in its favour);
 *   <li>{@code timestamp} (ISO 8601, UTC, milliseconds) becomes {@code timeUnixNano} and
 *       {@code observedTimeUnixNano} (tlsguard observed the event when it happened);
 *   <li>{@code severity_text} and {@code severity_number} become {@code severityText} and {@code severityNumber};
 *   <li>every other field becomes an attribute of the same name, typed: string, int, double, bool, arrays as
 *       {@code arrayValue}, objects (the summary's rows) as {@code kvlistValue}; fields the resource already
 *       holds (the JVM's identity) are left to the resource.
 * </ul>
 *
 * Used by the exporter's thread only.
 */
final class LogRecords {
    static final String SCOPE_NAME = "io.tlsguard";

    private final JsonFactory json = new JsonFactory();
    private final Set<String> resourceKeys;
    private final byte[] prefix;
    private static final byte[] SUFFIX = "]}]}]}".getBytes(StandardCharsets.US_ASCII);

    LogRecords(Map<String, Object> resource, String version) throws IOException {
        this.resourceKeys = resource.keySet();
        this.prefix = prefix(resource, version);
    }

    /** One request: {@code {"resourceLogs":[{"resource":...,"scopeLogs":[{"scope":...,"logRecords":[...]}]}]}}. */
    byte[] request(List<byte[]> records) {
        int size = prefix.length + SUFFIX.length + records.size();
        for (byte[] r : records) {
            size += r.length;
        }
        byte[] out = new byte[size];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int at = prefix.length;
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] r = records.get(i);
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        System.arraycopy(SUFFIX, 0, out, at, SUFFIX.length);
        return out;
    }

    private byte[] prefix(Map<String, Object> resource, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT); // the prefix stays open: records follow
            g.writeStartObject();
            g.writeArrayFieldStart("resourceLogs");
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
            g.writeArrayFieldStart("attributes");
            for (Map.Entry<String, Object> a : resource.entrySet()) {
                if (a.getValue() != null) {
                    g.writeStartObject();
                    g.writeStringField("key", a.getKey());
                    g.writeFieldName("value");
                    anyValue(g, a.getValue());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("scopeLogs");
            g.writeStartObject();
            g.writeObjectFieldStart("scope");
            g.writeStringField("name", SCOPE_NAME);
            g.writeStringField("version", version);
            g.writeEndObject();
            g.writeArrayFieldStart("logRecords");
        }
        return out.toByteArray();
    }

    /** A Java value (the resource's) as an AnyValue. */
    private static void anyValue(JsonGenerator g, Object v) throws IOException {
        g.writeStartObject();
        if (v instanceof Boolean) {
            g.writeBooleanField("boolValue", (Boolean) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeStringField("intValue", String.valueOf(((Number) v).longValue()));
        } else if (v instanceof Number) {
            g.writeNumberField("doubleValue", ((Number) v).doubleValue());
        } else if (v instanceof Collection) {
            g.writeObjectFieldStart("arrayValue");
            g.writeArrayFieldStart("values");
            for (Object e : (Collection<?>) v) {
                anyValue(g, e == null ? "" : e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else {
            g.writeStringField("stringValue", String.valueOf(v));
        }
        g.writeEndObject();
    }

    /** The log record for one report line. @throws IOException the line is not a JSON object */
    byte[] record(byte[] line, int offset, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + length / 2 + 128);
        String eventName = null;
        String timestamp = null;
        String severityText = null;
        long severityNumber = -1;
        try (JsonParser p = json.createParser(line, offset, length);
                JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            g.writeStartObject();
            g.writeArrayFieldStart("attributes");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (name.equals("event.name") && value == JsonToken.VALUE_STRING) {
                    eventName = p.getText();
                } else if (name.equals("timestamp") && value == JsonToken.VALUE_STRING) {
                    timestamp = p.getText();
                } else if (name.equals("severity_text") && value == JsonToken.VALUE_STRING) {
                    severityText = p.getText();
                } else if (name.equals("severity_number") && value == JsonToken.VALUE_NUMBER_INT) {
                    severityNumber = p.getLongValue();
                } else if (value == JsonToken.VALUE_NULL || resourceKeys.contains(name)) {
                    p.skipChildren();
                } else {
                    g.writeStartObject();
                    g.writeStringField("key", name);
                    g.writeFieldName("value");
                    copyValue(p, g);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            long millis = timestamp == null ? -1 : epochMillis(timestamp);
            if (millis >= 0) {
                String nanos = millis + "000000";
                g.writeStringField("timeUnixNano", nanos);
                g.writeStringField("observedTimeUnixNano", nanos);
            } else { // observed now, by the exporter: the one time the record can have
                g.writeStringField("observedTimeUnixNano", System.currentTimeMillis() + "000000");
            }
            if (severityNumber >= 1 && severityNumber <= 24) { // SeverityNumber's range; an enum: an integer
                g.writeNumberField("severityNumber", severityNumber);
            }
            if (severityText != null) {
                g.writeStringField("severityText", severityText);
            }
            if (eventName != null) {
                g.writeStringField("eventName", eventName);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The parser's current value (a scalar, array or object) as an AnyValue. */
    private static void copyValue(JsonParser p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        switch (p.currentToken()) {
            case VALUE_STRING:
                g.writeStringField("stringValue", p.getText());
                break;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    g.writeNumberField("doubleValue", p.getDoubleValue());
                } else {
                    g.writeStringField("intValue", String.valueOf(p.getLongValue()));
                }
                break;
            case VALUE_NUMBER_FLOAT:
                g.writeNumberField("doubleValue", p.getDoubleValue());
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                g.writeBooleanField("boolValue", p.getBooleanValue());
                break;
            case START_ARRAY:
                g.writeObjectFieldStart("arrayValue");
                g.writeArrayFieldStart("values");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    copyValue(p, g);
                }
                g.writeEndArray();
                g.writeEndObject();
                break;
            case START_OBJECT:
                g.writeObjectFieldStart("kvlistValue");
                g.writeArrayFieldStart("values");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.getCurrentName();
                    p.nextToken();
                    g.writeStartObject();
                    g.writeStringField("key", key);
                    g.writeFieldName("value");
                    copyValue(p, g);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                break;
            default: // null inside an array or object: an empty AnyValue
                break;
        }
        g.writeEndObject();
    }

    /** yyyy-MM-ddTHH:mm:ss.SSSZ (as the report writes it) to epoch milliseconds; -1 for anything else. */
    static long epochMillis(String iso) {
        if (iso.length() != 24
                || iso.charAt(4) != '-'
                || iso.charAt(7) != '-'
                || iso.charAt(10) != 'T'
                || iso.charAt(13) != ':'
                || iso.charAt(16) != ':'
                || iso.charAt(19) != '.'
                || iso.charAt(23) != 'Z') {
            return -1;
        }
        int year = digits(iso, 0, 4);
        int month = digits(iso, 5, 2);
        int day = digits(iso, 8, 2);
        int hour = digits(iso, 11, 2);
        int minute = digits(iso, 14, 2);
        int second = digits(iso, 17, 2);
        int millis = digits(iso, 20, 3);
        if (year < 1970
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour > 23
                || minute > 59
                || second > 60
                || millis < 0) {
            return -1;
        }
        // days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil)
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * 146_097 + dayOfEra - 719_468;
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(String s, int at, int width) {
        int n = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1_000_000;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
