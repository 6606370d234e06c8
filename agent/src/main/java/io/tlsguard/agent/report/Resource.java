package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who writes the report: the identity of this JVM as OpenTelemetry resource attributes ({@code service.name},
 * the user's {@code OTEL_RESOURCE_ATTRIBUTES}, {@code host.name}, {@code process.*}), in the order every line
 * carries them. Detected once, on the report writer's thread (never on a hooked thread, never with DNS);
 * immutable, so writing it per line costs only the writing.
 */
public final class Resource {
    /** OpenTelemetry's default when nothing names the service (the SDK's "unknown_service:" + language). */
    static final String UNKNOWN_SERVICE = "unknown_service:java";

    private final Map<String, Object> attributes;
    /**
     * The attributes as every line carries them, encoded once: {@code ,"service.name":"...",...}. Written as one
     * piece of text, not a field at a time: the same ~300 bytes on every line were 13 % of the report writer's
     * CPU in a profile of saturated resumed handshakes (issue 14).
     */
    private final SerializedString fields;

    Resource(Map<String, Object> attributes) {
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<String, Object>(attributes));
        this.fields = new SerializedString(encode(this.attributes));
    }

    /** The attributes as JSON fields, each preceded by a comma; values cleaned as every report string is. */
    private static String encode(Map<String, Object> attributes) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            for (Map.Entry<String, Object> a : attributes.entrySet()) {
                Object value = a.getValue();
                if (value instanceof Long) {
                    json.writeNumberField(a.getKey(), (Long) value);
                } else {
                    json.writeStringField(a.getKey(), Json.clean((String) value));
                }
            }
            json.writeEndObject();
        } catch (IOException cannotHappen) { // a StringWriter does not fail
            throw new IllegalStateException(cannotHappen);
        }
        String object = text.toString();
        return object.length() <= 2 ? "" : "," + object.substring(1, object.length() - 1);
    }

    /**
     * This JVM's identity: {@code service} is the {@code service=} option (null: not given), {@code pid} this
     * process's id. Reads the environment, system properties and the kernel's host name; nothing slow.
     */
    public static Resource detect(String service, String pid) {
        return of(
                service,
                pid,
                env("OTEL_SERVICE_NAME"),
                env("OTEL_RESOURCE_ATTRIBUTES"),
                property("sun.java.command"),
                property("java.runtime.name"),
                property("java.runtime.version"),
                hostName());
    }

    /** The identity from what {@link #detect} read; every argument may be null. */
    static Resource of(
            String serviceOption,
            String pid,
            String otelServiceName,
            String otelResourceAttributes,
            String javaCommand,
            String runtimeName,
            String runtimeVersion,
            String hostName) {
        Map<String, String> userAttributes = ResourceAttributes.parse(otelResourceAttributes);
        String command = JavaCommand.launched(javaCommand);
        Map<String, Object> a = new LinkedHashMap<String, Object>();
        a.put("service.name", serviceName(serviceOption, otelServiceName, userAttributes.get("service.name"), command));
        for (Map.Entry<String, String> pair : userAttributes.entrySet()) {
            if (!pair.getKey().equals("service.name")) {
                a.put(pair.getKey(), pair.getValue());
            }
        }
        a.put("host.name", hostName != null ? hostName : "unknown");
        Long processId = processId(pid);
        if (processId != null) {
            a.put("process.pid", processId);
        }
        putString(a, "process.runtime.name", runtimeName);
        putString(a, "process.runtime.version", runtimeVersion);
        putString(a, "process.command", command);
        return new Resource(a);
    }

    /** The option, else OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else the program. */
    private static String serviceName(String option, String otelServiceName, String fromAttributes, String command) {
        if (option != null) {
            return option;
        }
        String env = ResourceAttributes.bounded(otelServiceName);
        if (env != null) {
            return env;
        }
        if (fromAttributes != null) {
            return fromAttributes;
        }
        String program = JavaCommand.program(command);
        return program != null ? program : UNKNOWN_SERVICE;
    }

    private static void putString(Map<String, Object> a, String key, String value) {
        String v = ResourceAttributes.bounded(value);
        if (v != null) {
            a.put(key, v);
        }
    }

    private static Long processId(String pid) {
        try {
            return pid == null ? null : Long.valueOf(pid);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The attributes in line order, for the report and for OTLP's resource; values are String or Long. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** The service this JVM reports as. */
    public String serviceName() {
        return (String) attributes.get("service.name");
    }

    /**
     * Writes the attributes as fields of the current object, which already holds a field (every line starts with
     * {@code event.name} and {@code timestamp}): the text begins with the comma the generator would write.
     */
    public void write(JsonGenerator json) throws IOException {
        json.writeRaw(fields);
    }

    private static String env(String name) {
        try {
            return System.getenv(name);
        } catch (SecurityException e) {
            return null;
        }
    }

    private static String property(String name) {
        try {
            return System.getProperty(name);
        } catch (SecurityException e) {
            return null;
        }
    }

    /**
     * The host name without DNS (InetAddress.getLocalHost() may wait seconds on a resolver): $HOSTNAME (set
     * in containers), else the kernel's (what {@code hostname} prints), else /etc/hostname.
     */
    static String hostName() {
        String name = validHostName(env("HOSTNAME"));
        if (name == null) {
            name = validHostName(firstLine("/proc/sys/kernel/hostname"));
        }
        return name != null ? name : validHostName(firstLine("/etc/hostname"));
    }

    /** A host name's characters only (letters, digits, '.', '-', '_'), at most 253 of them; else null. */
    static String validHostName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim();
        if (n.isEmpty() || n.length() > 253) {
            return null;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == '_';
            if (!ok) {
                return null;
            }
        }
        return n;
    }

    /** The first line of a small system file, reading at most 256 bytes; null when unreadable. */
    private static String firstLine(String path) {
        byte[] buffer = new byte[256];
        int length = 0;
        try (InputStream in = new FileInputStream(path)) {
            int n;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
            }
        } catch (IOException | SecurityException e) {
            return null;
        }
        String text = new String(buffer, 0, length, StandardCharsets.US_ASCII);
        int newline = text.indexOf('\n');
        return newline >= 0 ? text.substring(0, newline) : text;
    }
}
