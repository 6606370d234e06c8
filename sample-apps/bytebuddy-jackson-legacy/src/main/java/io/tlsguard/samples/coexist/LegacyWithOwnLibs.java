package io.tlsguard.samples.coexist;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A legacy program that ships its OWN old Byte Buddy (1.12.19) and Jackson (2.9.10.8) and uses both at run time,
 * next to a TLSv1-pinned client ({@code SSLContext.getInstance("TLSv1")}). It checks that the Byte Buddy and
 * Jackson classes it runs are the ones from its own jar (an agent that leaks its copies would break that).
 * Usage: {@code java -jar bytebuddy-jackson-legacy.jar PORT}.
 * Prints {@code RESULT OK protocol cipher} or {@code RESULT FAIL ExceptionClass: message}.
 */
public final class LegacyWithOwnLibs {
    private LegacyWithOwnLibs() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int code = 1;
        try {
            checkOwnCopy(ByteBuddy.class);
            checkOwnCopy(ObjectMapper.class);
            String jackson = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString();
            if (!jackson.startsWith("2.9.")) {
                throw new IllegalStateException("expected the app's Jackson 2.9, running " + jackson);
            }
            // Byte Buddy at run time: a generated Supplier (class file version pinned to 8, as old code did).
            @SuppressWarnings("unchecked")
            Class<? extends Supplier<String>> generated =
                    (Class<? extends Supplier<String>>) new ByteBuddy(ClassFileVersion.JAVA_V8)
                            .subclass(TypeDescription.Generic.Builder.parameterizedType(Supplier.class, String.class)
                                    .build())
                            .method(ElementMatchers.named("get"))
                            .intercept(FixedValue.value("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"))
                            .make()
                            .load(LegacyWithOwnLibs.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                            .getLoaded();
            String request = generated.getDeclaredConstructor().newInstance().get();

            KeyStore trust = KeyStore.getInstance("JKS");
            try (InputStream in = LegacyWithOwnLibs.class.getResourceAsStream("/tlsguard-test.jks")) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLSv1");
            ctx.init(null, tmf.getTrustManagers(), null);
            SSLSession session;
            String answer;
            try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                session = socket.getSession();
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[512];
                for (int n; (n = in.read(buf)) > 0; ) {
                    all.write(buf, 0, n);
                }
                answer = new String(all.toByteArray(), StandardCharsets.US_ASCII);
            }
            if (!answer.startsWith("HTTP/1.") || !answer.contains(" 200 ")) {
                throw new IllegalStateException("unexpected answer: " + answer);
            }
            // Jackson at run time: the audit record round-trips through JSON.
            Map<String, Object> audit = new LinkedHashMap<>();
            audit.put("protocol", session.getProtocol());
            audit.put("cipher", session.getCipherSuite());
            ObjectMapper mapper = new ObjectMapper();
            Map<?, ?> back = mapper.readValue(mapper.writeValueAsString(audit), Map.class);
            if (!audit.equals(back)) {
                throw new IllegalStateException("Jackson round trip changed " + audit + " into " + back);
            }
            System.out.println("RESULT OK " + back.get("protocol") + " " + back.get("cipher"));
            code = 0;
        } catch (Throwable e) {
            System.out.println("RESULT FAIL " + e.getClass().getName() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.flush();
        System.exit(code);
    }

    /** The class must come from this application's own jar, not from an agent's copy. */
    private static void checkOwnCopy(Class<?> type) {
        Object ours =
                LegacyWithOwnLibs.class.getProtectionDomain().getCodeSource().getLocation();
        Object theirs =
                type.getProtectionDomain() == null || type.getProtectionDomain().getCodeSource() == null
                        ? "bootstrap"
                        : type.getProtectionDomain().getCodeSource().getLocation();
        if (!ours.equals(theirs) || type.getClassLoader() != LegacyWithOwnLibs.class.getClassLoader()) {
            throw new IllegalStateException(
                    type.getName() + " was loaded from " + theirs + ", not from the app's " + ours);
        }
    }
}
