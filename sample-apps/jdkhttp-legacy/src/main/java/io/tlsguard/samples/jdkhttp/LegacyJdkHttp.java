package io.tlsguard.samples.jdkhttp;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * A java.net.http.HttpClient program (Java 11+, built for release 11) whose SSLParameters allow only TLSv1.1.
 * Usage: {@code java -jar jdkhttp-legacy.jar PORT}.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyJdkHttp {
    private LegacyJdkHttp() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int code = 1;
        try {
            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyJdkHttp.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            SSLParameters params = ctx.getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.1"});
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(ctx)
                    .sslParameters(params)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(20))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP status " + response.statusCode());
            }
            SSLSession session = response.sslSession().orElseThrow(() -> new IllegalStateException("no TLS session"));
            System.out.println("RESULT OK " + session.getProtocol() + " " + session.getCipherSuite());
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }
}
