package io.tlsguard.compat;

import static io.tlsguard.compat.App.PORT;
import static io.tlsguard.compat.App.client;
import static io.tlsguard.compat.App.server;

import io.tlsguard.compat.App.Check;
import io.tlsguard.compat.App.Peer;
import java.util.List;

/**
 * The rows of the matrix: every legacy sample application. A new sample app is one row here (and, for the build
 * order, one dependency line in compat/pom.xml); a row that must not run everywhere gets an entry in
 * {@link Expectations}.
 */
public final class Apps {
    private Apps() {}

    public static final List<App> ALL = List.of(
            client(
                    "jsse-ctx-tlsv1",
                    "jsse-legacy",
                    Peer.HTTP,
                    "SSLContext.getInstance(\"TLSv1\")",
                    List.of("client", PORT, "ctx-tlsv1")),
            client(
                    "jsse-socket-enabled",
                    "jsse-legacy",
                    Peer.HTTP,
                    "SSLSocket.setEnabledProtocols({TLSv1})",
                    List.of("client", PORT, "socket-enabled")),
            client(
                            "jsse-https-url",
                            "jsse-legacy",
                            Peer.HTTP,
                            "HttpsURLConnection with -Dhttps.protocols=TLSv1",
                            List.of("client", PORT, "https-url"))
                    .withJvmFlags("-Dhttps.protocols=TLSv1"),
            client(
                    "jsse-https-url-pinned-factory",
                    "jsse-legacy",
                    Peer.HTTP,
                    "HttpsURLConnection with a TLSv1 SSLContext's socket factory",
                    List.of("client", PORT, "https-url-pinned-factory")),
            client(
                    "httpclient45",
                    "httpclient45-legacy",
                    Peer.HTTP,
                    "Apache HttpClient 4.5.14: SSLConnectionSocketFactory(ctx, {TLSv1}, null, verifier)",
                    List.of(PORT)),
            client(
                    "okhttp",
                    "okhttp-legacy",
                    Peer.HTTP,
                    "OkHttp 4.12.0: ConnectionSpec tlsVersions(TLS_1_0, TLS_1_1)",
                    List.of(PORT)),
            client(
                    "netty",
                    "netty-legacy",
                    Peer.HTTP,
                    "Netty 4.1.118: SslContextBuilder.forClient().protocols(\"TLSv1.1\") (SSLEngine)",
                    List.of(PORT)),
            client(
                            "netty-tcnative",
                            "netty-tcnative-legacy",
                            Peer.HTTP,
                            "Netty 4.1.118 on netty-tcnative-boringssl-static 2.0.84 (SslProvider.OPENSSL):"
                                    + " SslContextBuilder.forClient().protocols(\"TLSv1.1\") (BoringSSL's SSLEngine)",
                            List.of(PORT))
                    .checking(Check.COMPLETE_REPORT),
            client(
                    "jdkhttp",
                    "jdkhttp-legacy",
                    Peer.HTTP,
                    "java.net.http.HttpClient, SSLParameters protocols {TLSv1.1} (release 11)",
                    List.of(PORT)),
            client(
                    "bctls",
                    "bctls-legacy",
                    Peer.HTTP,
                    "Bouncy Castle JSSE 1.78.1 (BCJSSE): SSLContext.getInstance(\"TLSv1\", \"BCJSSE\") +"
                            + " setEnabledProtocols({TLSv1})",
                    List.of(PORT)),
            client(
                    "nio",
                    "nio-legacy",
                    Peer.HTTP,
                    "hand-written NIO HTTP/1.0 client on an SSLEngine over a SocketChannel:"
                            + " SSLEngine.setEnabledProtocols({TLSv1})",
                    List.of(PORT)),
            client(
                    "mail",
                    "mail-legacy",
                    Peer.SMTP,
                    "Angus Mail 2.0.3 (Jakarta Mail 2.1): SMTP STARTTLS, mail.smtp.ssl.protocols=TLSv1",
                    List.of(PORT)),
            client(
                    "javaxmail",
                    "javaxmail-legacy",
                    Peer.SMTP,
                    "JavaMail 1.6.2 (javax.mail, com.sun.mail: a library in javax.* packages), its own unmodified jar:"
                            + " SMTP STARTTLS, mail.smtp.ssl.protocols=TLSv1",
                    List.of(PORT)),
            client(
                    "springboot",
                    "springboot-legacy",
                    Peer.SMTP,
                    "JavaMail 1.6.2 in BOOT-INF/lib of a Spring Boot 2.7 executable jar (Boot's own loader):"
                            + " SMTP STARTTLS, mail.smtp.ssl.protocols=TLSv1",
                    List.of(PORT)),
            client(
                            "bytebuddy-jackson",
                            "bytebuddy-jackson-legacy",
                            Peer.HTTP,
                            "own Byte Buddy 1.12.19 + Jackson 2.9.10.8 used at run time;"
                                    + " SSLContext.getInstance(\"TLSv1\")",
                            List.of(PORT))
                    .checking(Check.COMPLETE_REPORT),
            client(
                            "httpclient45+otel",
                            "httpclient45-legacy",
                            Peer.HTTP,
                            "httpclient45 under the OpenTelemetry Java agent " + OpenTelemetryAgent.version()
                                    + " (traces to the logging exporter) + tlsguard",
                            List.of(PORT))
                    .checking(Check.OPENTELEMETRY_AGENT, Check.COMPLETE_REPORT),
            server("sslserver", "sslserver-legacy", "SSLServerSocket.setEnabledProtocols({TLSv1, TLSv1.1})"),
            server(
                    "jetty94",
                    "jetty94-legacy",
                    "Jetty 9.4.57: SslContextFactory includeProtocols(TLSv1, TLSv1.1), default excludes cleared"));
}
