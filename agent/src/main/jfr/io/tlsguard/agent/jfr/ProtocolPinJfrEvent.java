package io.tlsguard.agent.jfr;

import io.tlsguard.agent.report.CallSite;
import io.tlsguard.agent.report.LibraryJars;
import io.tlsguard.agent.report.PinEvent;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code tlsguard.ProtocolPin}: the report's {@code tlsguard.protocol_pin}, committed on the pinning
 * thread, with Flight Recorder's own stack trace of that thread. Unlike the report (at most ten events a
 * call site), every pin is recorded: a recording is bounded by its own settings.
 */
@Name("tlsguard.ProtocolPin")
@Label("TLS Protocol Pin")
@Category({"tlsguard", "TLS"})
@Description("A call that pinned TLS protocols below tlsguard's floor, and what tlsguard did with it")
@StackTrace(true)
final class ProtocolPinJfrEvent extends Event {
    @Label("API")
    @Description("The pinning call: SSLContext.getInstance, SSLSocket.setEnabledProtocols, a system property...")
    String api;

    @Label("Requested Protocols")
    @Description("The protocols the program asked for, comma-separated")
    String requested;

    @Label("Applied Protocols")
    @Description(
            "The protocols in effect after tlsguard: the requested ones (report), the floor (enforce), none (deny)")
    String applied;

    @Label("Action")
    @Description("observed (mode=report), rewritten (enforce) or denied (deny)")
    String action;

    @Label("Call Site")
    @Description("class.method of the first frame outside the JDK, JSSE providers and tlsguard")
    String codeFunction;

    @Label("Call Site File")
    String codeFile;

    @Label("Call Site Line")
    int codeLine;

    @Label("Library Jar")
    @Description("Where the pinning class was loaded from")
    String libraryJar;

    @Label("Library Coordinates")
    @Description("groupId:artifactId:version from the jar's pom.properties, once tlsguard's report writer has read it")
    String libraryCoordinates;

    @Label("Caller")
    @Description("class.method of the first frame of other code that called into the pinning library")
    String callerFunction;

    @Label("Caller File")
    String callerFile;

    @Label("Caller Line")
    int callerLine;

    @Label("Occurrence")
    @Description("How many times this call site pinned so far, this one included")
    long occurrence;

    static boolean enabled() {
        return new ProtocolPinJfrEvent().isEnabled();
    }

    static void commit(PinEvent pin) {
        ProtocolPinJfrEvent event = new ProtocolPinJfrEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.api = pin.api;
        event.requested = Texts.list(pin.requested);
        event.applied = Texts.list(pin.applied);
        event.action = pin.action.label();
        CallSite site = pin.site;
        if (site != null) {
            event.codeFunction = site.className + "." + site.methodName;
            event.codeFile = site.fileName;
            event.codeLine = site.line;
            LibraryJars.Library library = LibraryJars.alreadyRead(site.library, site.className);
            event.libraryJar = library.jar;
            event.libraryCoordinates = library.coordinates;
            StackTraceElement caller = site.caller;
            if (caller != null) {
                event.callerFunction = caller.getClassName() + "." + caller.getMethodName();
                event.callerFile = caller.getFileName();
                event.callerLine = caller.getLineNumber();
            }
        }
        event.occurrence = pin.occurrence;
        event.commit();
    }
}
