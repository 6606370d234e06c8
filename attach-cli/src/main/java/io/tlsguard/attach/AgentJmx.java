package io.tlsguard.attach;

import com.sun.tools.attach.VirtualMachine;
import io.tlsguard.contract.Command;
import io.tlsguard.contract.ReplyKey;
import io.tlsguard.contract.UserOptions;
import java.util.Optional;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Talks to a tlsguard that already runs in the target through its MBean {@code io.tlsguard:type=Agent}, over the
 * JVM's own local management agent (the connector jconsole uses: bound to the loopback interface, its address handed
 * out only through the attach mechanism, i.e. to the JVM's own user). Starting that agent loads no Java agent, so a
 * JDK 21+ target prints its "loaded dynamically" warning only at the first attach, never for status, reconfigure or
 * detach. When the MBean cannot be reached (a tlsguard that has none, a JVM without java.management), the caller
 * falls back to loading the agent as before.
 */
final class AgentJmx {
    static final String MBEAN = "io.tlsguard:type=Agent";
    /** Where a JVM's local management agent publishes its connector (in the attach API's agent properties). */
    static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";
    /** The agent registers its MBean within half a second of the platform MBean server's creation. */
    private static final long REGISTRATION_WAIT_MS = 3_000;

    private AgentJmx() {}

    /**
     * Runs {@code command} through the MBean when tlsguard runs in the target (its published version is there), or
     * ran and was detached (its MBean is still registered in a management agent started before). Never starts a
     * management agent in a JVM without tlsguard.
     *
     * @return the agent's reply; empty when the MBean cannot be reached and nothing was asked of it
     */
    static Optional<AgentReply> send(
            VirtualMachine vm, long pid, String ourVersion, Properties props, Command command, UserOptions options)
            throws Exception {
        boolean running = props.getProperty(ReplyKey.VERSION.key()) != null;
        String address = vm.getAgentProperties().getProperty(LOCAL_CONNECTOR);
        if (address == null) {
            if (!running) {
                return Optional.empty();
            }
            try {
                address = vm.startLocalManagementAgent();
            } catch (Exception e) {
                Jvms.debug("startLocalManagementAgent " + pid + ": " + e);
                return Optional.empty();
            }
        }
        ObjectName name = new ObjectName(MBEAN);
        JMXConnector connector;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (Exception e) {
            Jvms.debug("JMX connect " + pid + " " + address + ": " + e);
            return Optional.empty();
        }
        try {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            if (!awaitRegistered(mbeans, name, running ? REGISTRATION_WAIT_MS : 0)) {
                Jvms.debug(MBEAN + " not registered in JVM " + pid);
                return Optional.empty();
            }
            Object version = mbeans.getAttribute(name, "Version");
            if (!ourVersion.equals(version)) {
                Jvms.debug(MBEAN + " in JVM " + pid + " is tlsguard " + version);
                return Optional.empty(); // the version check of the caller says what to do
            }
            Object reply = invoke(mbeans, name, command, options);
            Jvms.debug(MBEAN + "." + command.key() + " " + pid + ": " + reply);
            if (!(reply instanceof String)) {
                throw new CliException(ExitCodes.AGENT_FAILED, "tlsguard's MBean in JVM " + pid + " answered " + reply);
            }
            try {
                return Optional.of(AgentReply.parse((String) reply));
            } catch (IllegalArgumentException e) {
                throw new CliException(
                        ExitCodes.AGENT_FAILED,
                        "tlsguard's MBean in JVM " + pid + " answered something unreadable: " + reply);
            }
        } finally {
            try {
                connector.close();
            } catch (Exception ignored) {
                // the connection is gone anyway
            }
        }
    }

    /** Through the MBean when it can be reached, else by loading the agent with the request. */
    static AgentReply ask(VirtualMachine vm, long pid, AgentJar agent, Properties props, Command command)
            throws Exception {
        Optional<AgentReply> viaJmx = send(vm, pid, agent.version, props, command, UserOptions.NONE);
        return viaJmx.isPresent() ? viaJmx.get() : Jvms.runAgent(vm, pid, agent.extract(), command, UserOptions.NONE);
    }

    private static Object invoke(MBeanServerConnection mbeans, ObjectName name, Command command, UserOptions options)
            throws Exception {
        switch (command) {
            case STATUS:
                return mbeans.invoke(name, "status", new Object[0], new String[0]);
            case DETACH:
                return mbeans.invoke(name, "detach", new Object[0], new String[0]);
            default:
                return mbeans.invoke(
                        name, "reconfigure", new Object[] {options.encode()}, new String[] {String.class.getName()});
        }
    }

    private static boolean awaitRegistered(MBeanServerConnection mbeans, ObjectName name, long waitMs)
            throws Exception {
        long end = System.nanoTime() + waitMs * 1_000_000;
        while (!mbeans.isRegistered(name)) {
            if (System.nanoTime() >= end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
