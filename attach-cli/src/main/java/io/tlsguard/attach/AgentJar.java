package io.tlsguard.attach;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The agent jar this CLI carries as a resource. It is extracted once to a stable, owner-only path,
 * {@code ${java.io.tmpdir}/tlsguard-USER/tlsguard-VERSION-SHA.jar}: a target keeps loading classes from that file
 * after the attach, so it is never deleted, and its hash is verified before it is reused.
 */
final class AgentJar {
    static final String RESOURCE = "/io/tlsguard/attach/agent/tlsguard.jar";

    final byte[] bytes;
    final String sha256;
    final String version;

    private AgentJar(byte[] bytes) {
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
        this.version = manifestVersion(bytes);
    }

    /** The embedded agent jar; fails with a one-line reason when this build has none. */
    static AgentJar embedded() {
        try (InputStream in = AgentJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CliException(ExitCodes.INTERNAL,
                        "this tlsguard-attach jar carries no agent (" + RESOURCE + " missing): rebuild it with mvn -pl attach-cli -am package");
            }
            return new AgentJar(in.readAllBytes());
        } catch (IOException e) {
            throw new CliException(ExitCodes.INTERNAL, "cannot read the embedded agent jar: " + e);
        }
    }

    private static String manifestVersion(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest m = in.getManifest();
            String v = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
            return v == null ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory for this user's extracted agents, created owner-only (rwx------). */
    static Path userDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tlsguard-" + user).toAbsolutePath();
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
        try {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (FileAlreadyExistsException ignored) {
                // checked below
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(dir);
                return dir;
            }
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
                throw new CliException(ExitCodes.INTERNAL, dir + " exists and is not a directory (a symbolic link?): remove it");
            }
            if (!a.owner().getName().equals(Procs.currentUser())) {
                throw new CliException(ExitCodes.INTERNAL, dir + " belongs to " + a.owner().getName()
                        + ", not to you: remove it, or set another -Djava.io.tmpdir");
            }
            if (!a.permissions().equals(ownerOnly)) {
                Files.setPosixFilePermissions(dir, ownerOnly);
            }
            return dir;
        } catch (IOException e) {
            throw new CliException(ExitCodes.INTERNAL, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Extracts the jar if needed and returns its absolute path; an existing file is reused only when its hash matches. */
    Path extract() {
        Path dir = userDirectory();
        Path jar = dir.resolve("tlsguard-" + version.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + sha256.substring(0, 16) + ".jar");
        try {
            if (Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) && sha256(Files.readAllBytes(jar)).equals(sha256)) {
                return jar;
            }
            Path part = Files.createTempFile(dir, "tlsguard-", ".part");
            try {
                Files.write(part, bytes);
                try {
                    Files.setPosixFilePermissions(part, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX
                }
                try {
                    Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(part);
            }
            if (!sha256(Files.readAllBytes(jar)).equals(sha256)) {
                throw new CliException(ExitCodes.INTERNAL, "the agent jar extracted to " + jar + " does not have the expected hash");
            }
            return jar;
        } catch (IOException e) {
            throw new CliException(ExitCodes.INTERNAL, "cannot extract the agent jar to " + jar + ": " + e.getMessage());
        }
    }
}
