package io.tlsguard.samples.okhttp;

import java.io.InputStream;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;

/**
 * A legacy OkHttp 4 program whose ConnectionSpec allows only TLS 1.0 and 1.1 (how apps talking to old
 * appliances were written); okhttp3-legacy builds the same source against OkHttp 3.14.9. Usage: {@code java -jar okhttp-legacy.jar PORT}.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyOkHttp {
    private LegacyOkHttp() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int code = 1;
        try {
            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyOkHttp.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
            ConnectionSpec legacy = new ConnectionSpec.Builder(ConnectionSpec.COMPATIBLE_TLS)
                    .tlsVersions(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1)
                    .build();
            OkHttpClient client = new OkHttpClient.Builder()
                    .sslSocketFactory(ctx.getSocketFactory(), tm)
                    .hostnameVerifier((host, session) -> "127.0.0.1".equals(host))
                    .connectionSpecs(Collections.singletonList(legacy))
                    .build();
            Request request =
                    new Request.Builder().url("https://127.0.0.1:" + port + "/").build();
            try (Response response = client.newCall(request).execute()) {
                Handshake handshake = response.handshake();
                response.body().string();
                if (response.code() != 200) {
                    throw new IllegalStateException("HTTP status " + response.code());
                }
                System.out.println("RESULT OK " + handshake.tlsVersion().javaName() + " "
                        + handshake.cipherSuite().javaName());
            }
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        // OkHttp keeps non-daemon pool threads alive for a while; a legacy CLI just exits.
        System.exit(code);
    }
}
