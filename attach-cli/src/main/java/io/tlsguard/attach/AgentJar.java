package io.tlsguard.attach;

import io.tlsguard.files.TrustedPaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The agent jar this CLI carries as a resource. It is extracted once to a stable path in a private directory of the
 * user ({@link #homeCandidates()}), {@code .../tlsguard-VERSION-SHA.jar}: a target keeps loading classes from that
 * file after the attach, so it is never deleted, and its hash is verified before it is reused.
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
                throw new CliException(
                        ExitCodes.INTERNAL,
                        "this tlsguard-attach jar carries no agent (" + RESOURCE
                                + " missing): rebuild it with mvn -pl attach-cli -am package");
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

    /**
     * Where this user's extracted agent jars may live, best first: {@code $XDG_CACHE_HOME/tlsguard-attach},
     * {@code ~/.cache/tlsguard-attach} (a sibling of the agent's transform cache {@code ~/.cache/tlsguard}, which
     * prunes its own subdirectories), then {@code ${java.io.tmpdir}/tlsguard-attach-UID}. Each is used only if it
     * passes the agent's path rule ({@link io.tlsguard.files.TrustedPaths}); a directory another user made in /tmp is never trusted, only passed over.
     */
    static List<Path> homeCandidates() {
        List<Path> out = new ArrayList<>();
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            out.add(Paths.get(xdg, "tlsguard-attach"));
        }
        String home = System.getProperty("user.home", "");
        if (home.startsWith("/")) {
            out.add(Paths.get(home, ".cache", "tlsguard-attach"));
        }
        out.add(Paths.get(System.getProperty("java.io.tmpdir"), "tlsguard-attach-" + Procs.currentUid())
                .toAbsolutePath());
        return out;
    }

    /** The first candidate that is (or can be made) a private directory of this user; else a one-line error naming all. */
    static Path userDirectory(List<Path> candidates) {
        StringBuilder why = new StringBuilder();
        for (Path dir : candidates) {
            try {
                Path real = TrustedPaths.createPrivateDirectory(dir); // the agent's rule, the agent's code
                if (real.toString().matches("(?s).*[;=\n].*")) {
                    // the JVM splits "jar=options" at the first '='; the agent's request splits at ';'
                    throw new IOException(
                            "its path holds ';', '=' or a newline, which the agent's load request cannot carry");
                }
                return real;
            } catch (IOException | RuntimeException e) {
                why.append(why.length() == 0 ? "" : "; ")
                        .append(dir)
                        .append(": ")
                        .append(e.getMessage());
            }
        }
        throw new CliException(
                ExitCodes.INTERNAL,
                "no safe directory to extract the agent jar to (" + why
                        + "): set XDG_CACHE_HOME to a directory only you can write");
    }

    /** Extracts the jar if needed into this user's directory and returns its real path. */
    Path extract() {
        return extract(homeCandidates());
    }

    /**
     * Extracts the jar if needed and returns its real path. An existing file is reused only when it is a regular
     * file of this user (not a link) with the expected hash; otherwise a fresh copy is written to a new file
     * (created exclusively, rw-------) and renamed over it.
     */
    Path extract(List<Path> candidates) {
        Path dir = userDirectory(candidates);
        Path jar = dir.resolve(
                "tlsguard-" + version.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + sha256.substring(0, 16) + ".jar");
        try {
            if (isOursWithHash(jar)) {
                return jar;
            }
            Path part = Files.createTempFile(dir, "tlsguard-", ".part"); // O_EXCL, rw-------
            try {
                try (OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS)) {
                    out.write(bytes);
                }
                try {
                    Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(part);
            }
            if (!isOursWithHash(jar)) {
                throw new CliException(
                        ExitCodes.INTERNAL, "the agent jar extracted to " + jar + " does not have the expected hash");
            }
            return jar;
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.INTERNAL, "cannot extract the agent jar to " + jar + ": " + e.getMessage());
        }
    }

    private boolean isOursWithHash(Path jar) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(jar, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!a.isRegularFile()
                || (Integer) Files.getAttribute(jar, "unix:uid", LinkOption.NOFOLLOW_LINKS) != Procs.currentUid()) {
            return false;
        }
        try (InputStream in = Files.newInputStream(jar, LinkOption.NOFOLLOW_LINKS)) {
            return sha256(in.readAllBytes()).equals(sha256);
        }
    }
}
