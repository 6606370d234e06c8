package io.tlsguard.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsguard.agent.policy.Action;
import java.io.IOException;

/** {@code "event.name":"tlsguard.protocol_pin"}: a call that pinned protocols below the floor. */
public final class PinEvent implements Event {
    public final long timeMillis = System.currentTimeMillis();
    /** e.g. SSLSocket.setEnabledProtocols, SSLContext.getInstance, system property https.protocols. */
    public final String api;

    public final String[] requested;
    public final String[] applied;
    public final Action action;
    public final CallSite site;
    /** How many times this call site pinned so far (this one included). */
    public final long occurrence;

    public final String threadName = Thread.currentThread().getName();

    public PinEvent(String api, String[] requested, String[] applied, Action action, CallSite site, long occurrence) {
        this.api = api;
        this.requested = requested;
        this.applied = applied;
        this.action = action;
        this.site = site;
        this.occurrence = occurrence;
    }

    @Override
    public void write(JsonGenerator json, Resource resource) throws IOException {
        json.writeStartObject();
        json.writeStringField("event.name", "tlsguard.protocol_pin");
        json.writeStringField("timestamp", Json.iso(timeMillis));
        resource.write(json);
        severity().write(json);
        json.writeStringField("tlsguard.api", api);
        Json.strings(json, "tlsguard.protocols.requested", requested);
        Json.strings(json, "tlsguard.protocols.applied", applied);
        json.writeStringField("tlsguard.action", action.label());
        if (site != null) {
            Json.string(json, "code.namespace", site.className);
            Json.string(json, "code.function.name", site.className + "." + site.methodName);
            Json.string(json, "code.file.path", site.fileName);
            Json.number(json, "code.line.number", site.line);
            Json.string(json, "code.stacktrace", site.stack);
            writeLibrary(json, site);
        }
        json.writeNumberField("tlsguard.pin.occurrence", occurrence);
        Json.string(json, "thread.name", threadName);
        json.writeEndObject();
    }

    /** Every pin is a warning: it holds protocols below the floor, whatever was made of it. */
    @Override
    public Severity severity() {
        return Severity.WARN;
    }

    /**
     * The library that pinned (its jar, and what the jar says it is) and the first frame of other code that
     * called into it. Runs on the report writer's thread: the jar is read there, once.
     */
    static void writeLibrary(JsonGenerator json, CallSite site) throws IOException {
        LibraryJars.Library library = LibraryJars.SHARED.of(site.library, site.className);
        Json.string(json, "tlsguard.library.jar", library.jar);
        Json.string(json, "tlsguard.library.coordinates", library.coordinates);
        Json.string(json, "tlsguard.library.name", library.name);
        Json.string(json, "tlsguard.library.version", library.version);
        StackTraceElement caller = site.caller;
        if (caller != null) {
            Json.string(json, "tlsguard.caller.function.name", caller.getClassName() + "." + caller.getMethodName());
            Json.string(json, "tlsguard.caller.file.path", caller.getFileName());
            Json.number(json, "tlsguard.caller.line.number", caller.getLineNumber());
        }
    }
}
