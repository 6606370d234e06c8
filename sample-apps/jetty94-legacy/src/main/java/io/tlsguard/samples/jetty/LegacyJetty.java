package io.tlsguard.samples.jetty;

import java.io.IOException;
import java.net.URL;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A legacy Jetty 9.4 HTTPS server kept reachable for old clients: its {@link SslContextFactory} includes only
 * TLSv1 and TLSv1.1, and the default exclusions (SSLv3 protocols, and the {@code _SHA/_SHA1/_MD5} cipher
 * suites, which are all the TLS 1.0 suites) were cleared, as such deployments had to.
 * Usage: {@code java -jar jetty94-legacy.jar PORT} (0 = ephemeral); listens on 127.0.0.1, prints
 * {@code LISTENING port}, answers "ok" and serves until killed.
 */
public final class LegacyJetty {
    private LegacyJetty() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.eclipse.jetty.util.log.class", "org.eclipse.jetty.util.log.StdErrLog");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        URL store = LegacyJetty.class.getResource("/tlsguard-test.jks");
        ssl.setKeyStorePath(store.toExternalForm());
        ssl.setKeyStorePassword("changeit");
        ssl.setKeyStoreType("JKS");
        ssl.setIncludeProtocols("TLSv1", "TLSv1.1");
        ssl.setExcludeProtocols();
        ssl.setExcludeCipherSuites();

        Server server = new Server();
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(
                server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                response.setContentType("text/plain");
                response.getWriter().print("ok");
                base.setHandled(true);
            }
        });
        server.start();
        System.out.println("LISTENING " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }
}
