package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a jar says about itself comes from disk: read within bounds, kept only when it looks like coordinates. */
class LibraryJarsTest {
    @TempDir
    Path dir;

    @Test
    void coordinatesComeFromPomProperties() throws IOException {
        Path jar = jar(
                "lib.jar",
                Map.of(
                        "META-INF/maven/com.sun.mail/javax.mail/pom.properties",
                        "groupId=com.sun.mail\nartifactId=javax.mail\nversion=1.6.2\n"));
        LibraryJars.Library l = new LibraryJars().of(jar.toUri().toURL(), "com.sun.mail.util.SocketFetcher");
        assertThat(l.jar).isEqualTo(jar.toString());
        assertThat(l.coordinates).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        assertThat(l.name).isEqualTo("javax.mail");
        assertThat(l.version).isEqualTo("1.6.2");
    }

    @Test
    void aFatJarNamesTheOwnerOfTheClassesPackageOrNobody() throws IOException {
        Path jar = jar(
                "fat.jar",
                Map.of(
                        "META-INF/maven/org.eclipse.angus/angus-mail/pom.properties",
                        "groupId=org.eclipse.angus\nartifactId=angus-mail\nversion=2.0.3\n",
                        "META-INF/maven/jakarta.mail/jakarta.mail-api/pom.properties",
                        "groupId=jakarta.mail\nartifactId=jakarta.mail-api\nversion=2.1.3\n"));
        LibraryJars jars = new LibraryJars();
        assertThat(jars.of(jar.toUri().toURL(), "org.eclipse.angus.mail.util.SocketFetcher").coordinates)
                .isEqualTo("org.eclipse.angus:angus-mail:2.0.3");
        assertThat(jars.of(jar.toUri().toURL(), "com.example.Main").coordinates).isNull();
    }

    @Test
    void malformedOrOversizedMetadataIsLeftOut() throws IOException {
        Path jar = jar(
                "hostile.jar",
                Map.of(
                        "META-INF/maven/a/b/pom.properties",
                        "groupId=evil\\u0000\nartifactId=b\nversion=1\n",
                        "META-INF/maven/c/d/pom.properties",
                        "groupId=c\nartifactId=d\nversion=" + "9".repeat(LibraryJars.MAX_PROPERTIES_BYTES) + "\n",
                        "META-INF/MANIFEST.MF",
                        "Manifest-Version: 1.0\nImplementation-Title: legacy\"client\nImplementation-Version: 3.1\n"));
        LibraryJars.Library l = new LibraryJars().of(jar.toUri().toURL(), "a.X");
        assertThat(l.jar).isEqualTo(jar.toString());
        assertThat(l.coordinates).isNull();
        assertThat(l.name).isNull();
        assertThat(l.version).isEqualTo("3.1");
    }

    @Test
    void theManifestNamesALibraryWithoutPom() throws IOException {
        Path jar = jar(
                "bundle.jar",
                Map.of(
                        "META-INF/MANIFEST.MF",
                        "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.client;singleton:=true\nBundle-Version: 4.2.0\n"));
        LibraryJars.Library l = new LibraryJars().of(jar.toUri().toURL(), "org.example.client.X");
        assertThat(l.coordinates).isNull();
        assertThat(l.name).isEqualTo("org.example.client");
        assertThat(l.version).isEqualTo("4.2.0");
    }

    @Test
    void aDirectoryOrNoLocationIsNamedAsItIs() throws IOException {
        LibraryJars jars = new LibraryJars();
        assertThat(jars.of(dir.toUri().toURL(), "a.X").jar).isEqualTo(dir.toString());
        assertThat(jars.of(dir.toUri().toURL(), "a.X").coordinates).isNull();
        assertThat(jars.of(null, "a.X").jar).isNull();
    }

    /** A Spring Boot executable jar: the library nested in BOOT-INF/lib, the application's pom at the root. */
    @Test
    void aJarNestedInAnExecutableJarIsReadFromTheOuterOne() throws IOException {
        Path app = bootJar();
        String lib = app + "!/BOOT-INF/lib/javax.mail-1.6.2.jar";
        LibraryJars jars = new LibraryJars();
        for (String url : new String[] {
            "jar:nested:" + app + "/!BOOT-INF/lib/javax.mail-1.6.2.jar!/", // Boot 3.2 and later
            "jar:" + app.toUri() + "!/BOOT-INF/lib/javax.mail-1.6.2.jar!/" // Boot 2 to 3.1
        }) {
            LibraryJars.Library l = jars.of(url(url), "com.sun.mail.util.SocketFetcher");
            assertThat(l.jar).as(url).isEqualTo(lib);
            assertThat(l.coordinates).as(url).isEqualTo("com.sun.mail:javax.mail:1.6.2");
        }
        for (String url : new String[] {
            "jar:nested:" + app + "/!BOOT-INF/classes/!/", "jar:" + app.toUri() + "!/BOOT-INF/classes!/"
        }) {
            LibraryJars.Library l = jars.of(url(url), "com.example.App");
            assertThat(l.jar).as(url).isEqualTo(app + "!/BOOT-INF/classes");
            assertThat(l.coordinates).as(url).isEqualTo("com.example:app:1.0");
        }
    }

    /** The URL names a path and nothing else: no climbing out, no other scheme, no entry that is not there. */
    @Test
    void aNestedUrlThatIsNotAPlainPathIsNamedAsItIsAndNotRead() throws IOException {
        Path app = bootJar();
        LibraryJars jars = new LibraryJars();
        for (String url : new String[] {
            "jar:nested:" + app + "/!BOOT-INF/lib/../lib/javax.mail-1.6.2.jar!/",
            "jar:nested:" + app + "/!/BOOT-INF/lib/javax.mail-1.6.2.jar!/",
            "jar:nested:" + dir + "/x/../app.jar/!BOOT-INF/lib/javax.mail-1.6.2.jar!/",
            "jar:nested:relative/app.jar/!BOOT-INF/lib/javax.mail-1.6.2.jar!/",
            "jar:nested:" + app + "/!BOOT-INF/lib/%2e%2e/lib/javax.mail-1.6.2.jar!/",
            "jar:http://127.0.0.1/app.jar!/BOOT-INF/lib/javax.mail-1.6.2.jar!/"
        }) {
            LibraryJars.Library l = jars.of(url(url), "com.sun.mail.util.SocketFetcher");
            assertThat(l.jar).as(url).isEqualTo(url);
            assertThat(l.coordinates).as(url).isNull();
        }
        LibraryJars.Library missing =
                jars.of(url("jar:nested:" + app + "/!BOOT-INF/lib/absent.jar!/"), "com.sun.mail.util.SocketFetcher");
        assertThat(missing.jar).isEqualTo(app + "!/BOOT-INF/lib/absent.jar");
        assertThat(missing.coordinates).isNull();
    }

    /** A nested jar's metadata has the bounds of a jar on disk, though read as a stream. */
    @Test
    void aNestedJarsMetadataIsBoundedLikeAJarOnDisk() throws IOException {
        byte[] hostile = zip(Map.of(
                "META-INF/maven/c/d/pom.properties",
                "groupId=c\nartifactId=d\nversion=" + "9".repeat(LibraryJars.MAX_PROPERTIES_BYTES) + "\n",
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\nImplementation-Title: client\nImplementation-Version: 3.1\n"));
        Path app = dir.resolve("hostile-app.jar");
        Files.write(app, zip(Map.of("BOOT-INF/lib/x.jar", hostile)));
        LibraryJars.Library l = new LibraryJars().of(url("jar:nested:" + app + "/!BOOT-INF/lib/x.jar!/"), "c.X");
        assertThat(l.coordinates).isNull();
        assertThat(l.name).isEqualTo("client");
        assertThat(l.version).isEqualTo("3.1");
    }

    /**
     * The URL a class loader would give (Spring Boot's registers its "nested" handler; this JVM has none, and
     * its jar handler checks the inner URL): parsed by a handler that only keeps the text.
     */
    private static URL url(String spec) throws IOException {
        URL url = new URL(null, spec, new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) throws IOException {
                throw new IOException("never opened");
            }
        });
        assertThat(url.toExternalForm()).isEqualTo(spec);
        return url;
    }

    private Path bootJar() throws IOException {
        byte[] lib = zip(Map.of(
                "META-INF/maven/com.sun.mail/javax.mail/pom.properties",
                "groupId=com.sun.mail\nartifactId=javax.mail\nversion=1.6.2\n",
                "com/sun/mail/util/SocketFetcher.class",
                "not really a class"));
        Path app = dir.resolve("app.jar");
        Files.write(
                app,
                zip(Map.of(
                        "BOOT-INF/lib/javax.mail-1.6.2.jar",
                        lib,
                        "BOOT-INF/classes/com/example/App.class",
                        "x",
                        "META-INF/maven/com.example/app/pom.properties",
                        "groupId=com.example\nartifactId=app\nversion=1.0\n")));
        return app;
    }

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        Files.write(jar, zip(entries));
        return jar;
    }

    /** A zip of entries, each a String (UTF-8) or bytes. */
    private static byte[] zip(Map<String, ?> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, ?> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                Object value = e.getValue();
                zip.write(value instanceof byte[] ? (byte[]) value : ((String) value).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
