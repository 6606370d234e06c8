package io.tlsguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
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

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }
}
