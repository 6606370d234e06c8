package io.tlsguard.agent.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.tlsguardtest.LibrarySockets;
import org.junit.jupiter.api.Test;

/** What decides, before any Byte Buddy, whether a class outside the JDK may be a provider's socket or engine. */
class ClassFilterTest {
    /** Two levels below SSLSocket, as providers' sockets are (Bouncy Castle: ProvSSLSocketDirect). */
    abstract static class ProviderSocketBase extends SSLSocket {}

    abstract static class ProviderSocket extends ProviderSocketBase {
        @Override
        public void setEnabledProtocols(String[] protocols) {}
    }

    abstract static class ProviderEngine extends SSLEngine {}

    abstract static class PlainSocket extends Socket {}

    abstract static class PlainFactory extends SSLSocketFactory {}

    interface SessionLike extends SSLSession {}

    @Test
    void headerNamesTheSuperclassAndTellsInterfaces() throws IOException {
        ClassHeader socket = ClassHeader.read(classFile(ProviderSocket.class));
        assertThat(socket.superName).isEqualTo("io/tlsguard/agent/weaving/ClassFilterTest$ProviderSocketBase");
        assertThat(socket.isInterface).isFalse();
        assertThat(ClassHeader.read(classFile(SessionLike.class)).isInterface).isTrue();
        assertThat(ClassHeader.read(classFile(ClassFilterTest.class)).superName).isEqualTo("java/lang/Object");
        assertThat(ClassHeader.read(new byte[] {1, 2, 3})).isNull();
        assertThat(ClassHeader.read(
                        new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52, 0, 9, 7}))
                .isNull();
    }

    /** Constant pools holding every kind of constant (longs take two slots, lambdas bring method handles). */
    @Test
    void headerReadsRichConstantPools() throws IOException {
        for (Class<?> type : new Class<?>[] {
            ProviderClassFilter.class, TransformCache.class, HookTransformer.class, Long.class, Double.class
        }) {
            ClassHeader header = ClassHeader.read(classFile(type));
            assertThat(header).as(type.getName()).isNotNull();
            assertThat(header.superName)
                    .isEqualTo(type.getSuperclass().getName().replace('.', '/'));
        }
    }

    /** The transformer's warm-up input (HookTransformer#warmUp): a class file the JVM accepts, read as any other. */
    @Test
    void warmUpClassIsAValidClassFile() {
        byte[] classFile = ClassFiles.emptyClass("tlsguard/WarmUp", "java/lang/Thread");
        ClassHeader header = ClassHeader.read(classFile);
        assertThat(header.superName).isEqualTo("java/lang/Thread");
        assertThat(header.isInterface).isFalse();
        Class<?> defined = new ClassLoader(null) {
            Class<?> define() {
                return defineClass("tlsguard.WarmUp", classFile, 0, classFile.length);
            }
        }.define();
        assertThat(defined.getSuperclass()).isEqualTo(Thread.class);
    }

    @Test
    void providerFilterFindsJsseBasesUpTheChain() throws IOException {
        ProviderClassFilter filter = new ProviderClassFilter();
        ClassLoader loader = getClass().getClassLoader();
        assertThat(filter.mayImplementSsl(loader, classFile(ProviderSocket.class)))
                .isTrue();
        assertThat(filter.mayImplementSsl(loader, classFile(ProviderSocketBase.class)))
                .isTrue();
        assertThat(filter.mayImplementSsl(loader, classFile(ProviderEngine.class)))
                .isTrue();
        assertThat(filter.mayImplementSsl(loader, classFile(PlainSocket.class))).isFalse();
        assertThat(filter.mayImplementSsl(loader, classFile(SessionLike.class))).isFalse();
        assertThat(filter.mayImplementSsl(loader, classFile(ClassFilterTest.class)))
                .isFalse();
        assertThat(filter.mayImplementSsl(loader, new byte[] {1, 2, 3})).isFalse();
    }

    /**
     * A JDK class is one the JDK's loaders define, not a package name: a library's socket in javax.* (or com.sun.*)
     * is a provider's socket like any other, up a chain of such classes, and gets the provider hooks.
     */
    @Test
    void aLibrarySocketInAJavaxPackageIsAProvidersSocket() throws IOException {
        ProviderClassFilter filter = new ProviderClassFilter();
        ClassLoader loader = getClass().getClassLoader();
        assertThat(LibrarySockets.Socket.class.getClassLoader()).isSameAs(loader);
        assertThat(HookTargets.isJdk(loader)).isFalse();
        assertThat(filter.mayImplementSsl(loader, classFile(LibrarySockets.Socket.class)))
                .isTrue();
        assertThat(filter.mayImplementSsl(loader, classFile(LibrarySockets.Base.class)))
                .isTrue();
        assertThat(filter.mayImplementSsl(loader, classFile(LibrarySockets.class)))
                .isFalse();
    }

    /** A superclass of the JDK ends the walk, told by where its class file lies (here the run-time image). */
    @Test
    void theWalkStopsAtTheJdksClassesByTheirLocation() throws IOException {
        assertThat(HookTargets.isJdkClassFile(ClassLoader.getSystemResource("javax/net/ssl/SSLSocketFactory.class")))
                .isTrue();
        assertThat(HookTargets.isJdkClassFile(ClassFilterTest.class.getResource("ClassFilterTest.class")))
                .isFalse();
        ProviderClassFilter filter = new ProviderClassFilter();
        assertThat(filter.mayImplementSsl(getClass().getClassLoader(), classFile(PlainFactory.class)))
                .isFalse();
    }

    @Test
    void theJdksLoadersAreTheBootstrapAndThePlatformLoader() {
        assertThat(HookTargets.isJdk(null)).isTrue();
        assertThat(HookTargets.isJdk(ClassLoader.getPlatformClassLoader())).isTrue(); // the tests run on Java 17
        assertThat(HookTargets.isJdk(ClassLoader.getSystemClassLoader())).isFalse();
        assertThat(HookTargets.isJdk(getClass().getClassLoader())).isFalse();
    }

    /** The installer's check of loaded classes answers as the filter does: both read HookTable.SSL_BASE_TYPES. */
    @Test
    void loadedClassCheckAgreesWithTheFilter() throws IOException {
        ProviderClassFilter filter = new ProviderClassFilter();
        ClassLoader loader = getClass().getClassLoader();
        for (Class<?> type : new Class<?>[] {
            ProviderSocket.class,
            ProviderSocketBase.class,
            ProviderEngine.class,
            PlainSocket.class,
            PlainFactory.class,
            LibrarySockets.Socket.class,
            ClassFilterTest.class
        }) {
            assertThat(HookTargets.isSslImplementation(type))
                    .as(type.getName())
                    .isEqualTo(filter.mayImplementSsl(loader, classFile(type)));
        }
        assertThat(HookTargets.isSslImplementation(SSLServerSocket.class)).isTrue();
        assertThat(HookTargets.isSslImplementation(SSLSocketFactory.class)).isFalse();
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
