package io.tlsguard.samples.httpclient;

import java.io.InputStream;
import java.security.KeyStore;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.ssl.SSLContexts;
import org.apache.http.util.EntityUtils;

/**
 * A legacy Apache HttpClient 4.5 program: the socket factory is pinned to TLSv1, as in countless
 * "fix the handshake_failure" answers of the 2010s. Usage: {@code java -jar httpclient45-legacy.jar PORT}.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyHttpClient {
    private LegacyHttpClient() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        try {
            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyHttpClient.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            SSLContext ctx = SSLContexts.custom().loadTrustMaterial(trust, null).build();
            HostnameVerifier verifier = (host, session) -> "127.0.0.1".equals(host);
            SSLConnectionSocketFactory factory =
                    new SSLConnectionSocketFactory(ctx, new String[] {"TLSv1"}, null, verifier);
            try (CloseableHttpClient client =
                    HttpClients.custom().setSSLSocketFactory(factory).build()) {
                HttpClientContext context = HttpClientContext.create();
                HttpResponse response = client.execute(new HttpGet("https://127.0.0.1:" + port + "/"), context);
                SSLSession session =
                        context.getConnection(ManagedHttpClientConnection.class).getSSLSession();
                int status = response.getStatusLine().getStatusCode();
                EntityUtils.consume(response.getEntity());
                if (status != 200) {
                    throw new IllegalStateException("HTTP status " + status);
                }
                System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
            }
            System.exit(0);
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
            System.exit(1);
        }
    }
}
