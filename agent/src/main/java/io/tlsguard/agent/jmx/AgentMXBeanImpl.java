package io.tlsguard.agent.jmx;

import io.tlsguard.agent.hooks.Guard;
import io.tlsguard.agent.report.Summary;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * The MBean: reads what the report already counts (the writer's written and dropped, the summary's counts), so a
 * handshake costs the hooked thread nothing more for JMX. The two operations that change tlsguard run only for a
 * JMX connector's remote call (the JDK's local connector, which only the JVM's user can reach, or a port the
 * operator opened with its own authentication), and in tlsguard's own privileges.
 */
final class AgentMXBeanImpl implements TlsGuardMXBean {
    static final String DETACHED = "detached";

    private final AgentControl control;

    AgentMXBeanImpl(AgentControl control) {
        this.control = control;
    }

    @Override
    public String getMode() {
        Guard g = control.guard();
        return g == null ? DETACHED : g.policy().mode().label();
    }

    @Override
    public String getFloor() {
        Guard g = control.guard();
        return g == null ? "" : g.policy().floor();
    }

    @Override
    public String getRewrite() {
        Guard g = control.guard();
        return g == null ? "" : g.policy().rewrite().label();
    }

    @Override
    public String getReportTarget() {
        Guard g = control.guard();
        return g == null ? "" : g.writer().target();
    }

    @Override
    public String getVersion() {
        return control.version();
    }

    private long handshakes(boolean client, String version) {
        Guard g = control.guard();
        return g == null ? 0 : g.summary().handshakes(client, version);
    }

    @Override
    public long getClientHandshakesSSLv3() {
        return handshakes(true, "3");
    }

    @Override
    public long getClientHandshakesTLSv1() {
        return handshakes(true, "1");
    }

    @Override
    public long getClientHandshakesTLSv1_1() {
        return handshakes(true, "1.1");
    }

    @Override
    public long getClientHandshakesTLSv1_2() {
        return handshakes(true, "1.2");
    }

    @Override
    public long getClientHandshakesTLSv1_3() {
        return handshakes(true, "1.3");
    }

    @Override
    public long getServerHandshakesSSLv3() {
        return handshakes(false, "3");
    }

    @Override
    public long getServerHandshakesTLSv1() {
        return handshakes(false, "1");
    }

    @Override
    public long getServerHandshakesTLSv1_1() {
        return handshakes(false, "1.1");
    }

    @Override
    public long getServerHandshakesTLSv1_2() {
        return handshakes(false, "1.2");
    }

    @Override
    public long getServerHandshakesTLSv1_3() {
        return handshakes(false, "1.3");
    }

    private Summary summary() {
        Guard g = control.guard();
        return g == null ? null : g.summary();
    }

    @Override
    public long getHandshakeFailures() {
        Summary s = summary();
        return s == null ? 0 : s.failures();
    }

    @Override
    public long getPins() {
        Summary s = summary();
        return s == null ? 0 : s.pins();
    }

    @Override
    public int getDistinctLegacyPeers() {
        Summary s = summary();
        return s == null ? 0 : s.distinctLegacyPeers();
    }

    @Override
    public int getDistinctLegacyCallSites() {
        Summary s = summary();
        return s == null ? 0 : s.distinctPinSites();
    }

    @Override
    public long getLastLegacyHandshakeTime() {
        Summary s = summary();
        return s == null ? 0 : s.lastLegacyHandshake();
    }

    @Override
    public long getEventsWritten() {
        Guard g = control.guard();
        return g == null ? 0 : g.writer().written();
    }

    @Override
    public long getEventsDropped() {
        Guard g = control.guard();
        return g == null ? 0 : g.writer().dropped();
    }

    @Override
    public long getHookErrors() {
        return control.hookErrors();
    }

    @Override
    public String status() {
        return AccessController.doPrivileged(new PrivilegedAction<String>() {
            @Override
            public String run() {
                return control.status();
            }
        });
    }

    @Override
    public String reconfigure(final String options) {
        if (!fromJmxClient()) {
            return control.refusal("reconfigure: " + NOT_IN_PROCESS);
        }
        return AccessController.doPrivileged(new PrivilegedAction<String>() {
            @Override
            public String run() {
                return control.reconfigure(options == null ? "" : options);
            }
        });
    }

    @Override
    public String detach() {
        if (!fromJmxClient()) {
            return control.refusal("detach: " + NOT_IN_PROCESS);
        }
        return AccessController.doPrivileged(new PrivilegedAction<String>() {
            @Override
            public String run() {
                return control.detach();
            }
        });
    }

    static final String NOT_IN_PROCESS =
            "tlsguard answers JMX clients (a JMX connector's remote call), not code running in this JVM";

    /**
     * Whether this call came through an RMI JMX connector (the JDK's local one, or a remote port the operator
     * opened) rather than from code in this JVM calling the platform MBean server: the application, sandboxed or
     * not, does not switch tlsguard off.
     */
    static boolean fromJmxClient() {
        try {
            RemoteServer.getClientHost();
            return true;
        } catch (ServerNotActiveException inProcess) {
            return false;
        }
    }
}
