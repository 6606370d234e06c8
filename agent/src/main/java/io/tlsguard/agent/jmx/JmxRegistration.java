package io.tlsguard.agent.jmx;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers {@code io.tlsguard:type=Agent} in the platform MBean server, but never creates that server: creating it
 * took 0.2 to 0.8 s (0.3 s of CPU) in a hello world on JDK 8, 17 and 25, on every JVM tlsguard guards, most of which
 * nobody watches through JMX. Instead a daemon thread looks every {@link #POLL_MS} ms whether it exists (a
 * microsecond: {@link MBeanServerFactory#findMBeanServer} lists the servers made so far and creates none) and
 * registers the bean once it does: when the application, a JMX exporter agent, jconsole or JMC, or the attach CLI
 * (through the JVM's local management agent) made it. Then the thread ends.
 */
public final class JmxRegistration {
    public static final String NAME = "io.tlsguard:type=Agent";
    /** Bounds how long the attach CLI waits after it started the local management agent. */
    static final long POLL_MS = 500;

    private static boolean started;

    private JmxRegistration() {}

    /** Starts watching, once per JVM; the bean then reads whatever {@code control} says, detached or not. */
    public static synchronized void watch(final AgentControl control) {
        if (started) {
            return;
        }
        started = true;
        Thread watcher = new Thread(
                new Runnable() { // not a lambda: see ReportWriter
                    @Override
                    public void run() {
                        registerOnceServerExists(control);
                    }
                },
                "tlsguard-jmx");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void registerOnceServerExists(AgentControl control) {
        try {
            ObjectName runtime = new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
            while (!platformServerExists(runtime)) {
                Thread.sleep(POLL_MS);
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer(); // exists: returned, not made
            ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new AgentMXBeanImpl(control), name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) { // JMX is a view: without it tlsguard goes on
            if (Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: cannot register " + NAME + ": " + t);
            }
        }
    }

    /**
     * The platform server is the one made by {@link MBeanServerFactory#createMBeanServer()} that holds the platform
     * MXBeans (it registers them before anyone else sees it); another library's own server holds none of them.
     */
    static boolean platformServerExists(ObjectName runtime) {
        List<MBeanServer> servers = MBeanServerFactory.findMBeanServer(null);
        for (MBeanServer s : servers) {
            if (s.isRegistered(runtime)) {
                return true;
            }
        }
        return false;
    }
}
