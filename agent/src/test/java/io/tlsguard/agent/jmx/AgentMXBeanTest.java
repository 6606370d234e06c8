package io.tlsguard.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsguard.agent.hooks.Guard;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The MBean as JMX sees it: open types only, and the two operations that change tlsguard answer a JMX connector's
 * remote call (here a real RMI connector on 127.0.0.1) but not code in the JVM calling the platform MBean server.
 * The control behind it is a recorder of tlsguard's own interface (the real one is the agent's, tested by the ITs).
 */
class AgentMXBeanTest {
    /** Records what the bean asked of the life cycle. */
    static final class Recorder implements AgentControl {
        final List<String> calls = new ArrayList<>();

        @Override
        public Guard guard() {
            return null;
        }

        @Override
        public String version() {
            return "test";
        }

        @Override
        public long hookErrors() {
            return 7;
        }

        @Override
        public String status() {
            calls.add("status");
            return "{\"tlsguard.ok\":true}";
        }

        @Override
        public String reconfigure(String options) {
            calls.add("reconfigure " + options);
            return "{\"tlsguard.ok\":true}";
        }

        @Override
        public String detach() {
            calls.add("detach");
            return "{\"tlsguard.ok\":true,\"tlsguard.detached\":true}";
        }

        @Override
        public String refusal(String why) {
            return "{\"tlsguard.ok\":false,\"tlsguard.error\":\"" + why + "\"}";
        }
    }

    @Test
    void operationsAnswerJmxClientsNotCodeInTheJvm() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.tlsguard.test:type=Agent");
        Recorder control = new Recorder();
        server.registerMBean(new AgentMXBeanImpl(control), name);
        try {
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                assertThat(a.getType()).as(a.getName()).isIn("long", "int", "java.lang.String");
            }
            assertThat(server.getAttribute(name, "Mode")).isEqualTo("detached");
            assertThat(server.getAttribute(name, "HookErrors")).isEqualTo(7L);
            assertThat(server.getAttribute(name, "ClientHandshakesTLSv1_1")).isEqualTo(0L);

            // in process: status yes, detach and reconfigure no
            assertThat(server.invoke(name, "status", new Object[0], new String[0]))
                    .isEqualTo("{\"tlsguard.ok\":true}");
            assertThat((String) server.invoke(name, "detach", new Object[0], new String[0]))
                    .contains("\"tlsguard.ok\":false", "not code running in this JVM");
            assertThat((String) server.invoke(
                            name, "reconfigure", new Object[] {"mode=report"}, new String[] {"java.lang.String"}))
                    .contains("\"tlsguard.ok\":false", "not code running in this JVM");
            assertThat(control.calls).containsExactly("status");

            // through a JMX connector, as jconsole and the attach CLI come
            JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(
                    new JMXServiceURL("service:jmx:rmi://127.0.0.1"), null, server);
            connectorServer.start();
            try (JMXConnector client = JMXConnectorFactory.connect(connectorServer.getAddress())) {
                MBeanServerConnection remote = client.getMBeanServerConnection();
                assertThat(remote.invoke(
                                name, "reconfigure", new Object[] {"mode=enforce"}, new String[] {"java.lang.String"}))
                        .isEqualTo("{\"tlsguard.ok\":true}");
                assertThat((String) remote.invoke(name, "detach", new Object[0], new String[0]))
                        .contains("\"tlsguard.detached\":true");
            } finally {
                connectorServer.stop();
            }
            assertThat(control.calls).containsExactly("status", "reconfigure mode=enforce", "detach");
        } finally {
            server.unregisterMBean(name);
        }
    }
}
