package io.tlsguard.agent.weaving;

import io.tlsguard.files.TrustedPaths;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The hooked JDK classes as tlsguard transformed them in an earlier run, kept on disk so that a JVM
 * started again with the same agent and the same JDK defines them without loading Byte Buddy at all
 * (Byte Buddy costs a few hundred milliseconds of startup, run cold; see docs/performance.md).
 *
 * <p>These bytes become JDK classes, so nothing of the cache is taken on trust:
 * <ul>
 * <li>the root directory is resolved and checked once, on first use ({@link TrustedPaths}: no other user
 *     can write, replace or redirect any part of it), and only its real path is used afterwards; a root
 *     that fails the check turns the cache off for the run (said once on stderr for an explicit
 *     {@code cache=DIR}, silently for the default);</li>
 * <li>entries are read without following links, only regular files of this user, and written to a file
 *     created exclusively in the checked directory, then renamed over the entry;</li>
 * <li>an entry is used only when it verifies ({@link CacheEntry}: a MAC with the root's random key, the
 *     very original, a hooked class of that name); anything else is woven afresh and overwritten.</li>
 * </ul>
 * Entries live in a directory per agent jar content and JVM version, so a new build or JDK never sees
 * old entries. Any I/O problem turns the cache off for the run: tlsguard then works as without it.
 */
final class TransformCache {
    /** Directories (agent build x JDK) kept: a host running a few JDKs with one agent keeps them all. */
    private static final int KEPT = 8;

    private static final String KEY = "key";
    private static final int KEY_LENGTH = 32;
    /** This format's per-build directories; earlier formats' ({@code v1-}) are pruned like old builds. */
    private static final String VERSION = "v2-";

    static final AtomicLong HITS = new AtomicLong();

    private final Path root;
    /** Whether the user chose the directory ({@code cache=DIR}): then a refusal is worth a line on stderr. */
    private final boolean explicit;

    private volatile Opened opened;
    private volatile String offBecause;

    /** The checked directory of this build and JVM, the root's key, and the fingerprint the MAC covers. */
    private static final class Opened {
        final Path directory;
        final byte[] key;
        final String fingerprint;

        Opened(Path directory, byte[] key, String fingerprint) {
            this.directory = directory;
            this.key = key;
            this.fingerprint = fingerprint;
        }
    }

    private TransformCache(Path root, boolean explicit, String offBecause) {
        this.root = root;
        this.explicit = explicit;
        this.offBecause = offBecause;
    }

    /** @param option null (the default place), "off", or a directory */
    static TransformCache open(String option) {
        if ("off".equals(option)) {
            return new TransformCache(null, false, "cache=off");
        }
        if (option != null) {
            return new TransformCache(FileSystems.getDefault().getPath(option).toAbsolutePath(), true, null);
        }
        // A root JVM may have inherited another user's XDG_CACHE_HOME: the check of the root refuses it then.
        String xdg = System.getenv("XDG_CACHE_HOME");
        File base = xdg != null && xdg.startsWith("/")
                ? new File(xdg)
                : new File(System.getProperty("user.home"), ".cache");
        return new TransformCache(new File(base, "tlsguard").toPath(), false, null);
    }

    /** For status: the directory in use, or why there is none. */
    String describe() {
        Opened o = opened;
        String off = offBecause;
        return off != null ? "off (" + off + ")" : o != null ? o.directory.toString() : root.toString();
    }

    /** Whether entries can be read and kept: the root checked and opened (on first use). Never throws. */
    boolean isOn() {
        return opened() != null;
    }

    /** The transformed class file stored for exactly this original, verified, or null. Never throws. */
    byte[] lookup(String internalName, byte[] original) {
        Opened o = opened();
        if (o == null) {
            return null;
        }
        try (FileChannel in = TrustedPaths.openForReadingIn(o.directory, entryName(internalName, original))) {
            long size = in.size();
            if (size > CacheEntry.MAX_SIZE) {
                return null;
            }
            ByteBuffer entry = ByteBuffer.allocate((int) size);
            while (entry.hasRemaining() && in.read(entry) >= 0) {
                // read it all
            }
            if (entry.hasRemaining()) {
                return null; // shorter than it said: being replaced
            }
            byte[] transformed = CacheEntry.open(o.key, o.fingerprint, internalName, original, entry.array());
            if (transformed != null) {
                HITS.incrementAndGet();
            }
            return transformed;
        } catch (IOException | RuntimeException e) {
            return null; // missing (the usual miss), or not ours: woven afresh, and stored over it
        }
    }

    /** Keeps a transformation for the next run; written aside and renamed, so readers never see half. */
    void store(String internalName, byte[] original, byte[] transformed) {
        Opened o = opened();
        if (o == null || !WovenClassCheck.isHooked(internalName, transformed)) {
            return;
        }
        try {
            byte[] entry = CacheEntry.seal(o.key, o.fingerprint, internalName, original, transformed);
            Path temp = writeNew(
                    o.directory,
                    "entry-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp",
                    entry);
            try {
                Path target = o.directory.resolve(entryName(internalName, original));
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                temp = null; // a link or anything else at the entry's name is replaced, never followed
            } finally {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            offBecause = "cannot write " + o.directory + ": " + e.getMessage();
        }
    }

    /** Checked and made on first use (the first hooked class), not at startup; never again resolved. */
    private Opened opened() {
        Opened o = opened;
        if (o != null || offBecause != null) {
            return offBecause != null ? null : o;
        }
        synchronized (this) {
            if (opened == null && offBecause == null) {
                try {
                    Path realRoot = TrustedPaths.createPrivateDirectory(root);
                    byte[] key = key(realRoot);
                    String fingerprint = fingerprint();
                    boolean fresh = TrustedPaths.createPrivateDirectoryIn(realRoot, fingerprint);
                    Path directory = realRoot.resolve(fingerprint);
                    opened = new Opened(directory, key, fingerprint);
                    if (fresh) {
                        pruneOlderThan(realRoot, directory);
                    }
                } catch (IOException | RuntimeException e) {
                    offBecause = oneLine(e.getMessage() != null ? e.getMessage() : e.toString());
                    if (explicit) {
                        System.err.println("tlsguard: the transform cache is off for this run: " + offBecause);
                    }
                }
            }
            return offBecause != null ? null : opened;
        }
    }

    /** A path with a line break in it must not split tlsguard's one line on the host's stderr. */
    private static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }

    /** The root's MAC key: 32 random bytes, made on first use, owner-only, readable only as the user's own regular file. */
    private static byte[] key(Path realRoot) throws IOException {
        if (!Files.exists(realRoot.resolve(KEY), LinkOption.NOFOLLOW_LINKS)) {
            byte[] fresh = new byte[KEY_LENGTH];
            new SecureRandom().nextBytes(fresh);
            Path temp = writeNew(
                    realRoot,
                    "key-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp",
                    fresh);
            try {
                Files.move(temp, realRoot.resolve(KEY)); // no replacing: a JVM that made one first wins
            } catch (FileAlreadyExistsException raced) {
                // read theirs below
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        try (FileChannel in = TrustedPaths.openForReadingIn(realRoot, KEY)) {
            ByteBuffer key = ByteBuffer.allocate(KEY_LENGTH + 1);
            while (key.hasRemaining() && in.read(key) >= 0) {
                // read at most one byte too many
            }
            if (key.position() != KEY_LENGTH) {
                throw new IOException(realRoot.resolve(KEY) + " is not a key of " + KEY_LENGTH + " bytes");
            }
            return java.util.Arrays.copyOf(key.array(), KEY_LENGTH);
        } catch (NoSuchFileException e) {
            throw new IOException(realRoot.resolve(KEY) + " vanished");
        }
    }

    private static Path writeNew(Path checkedDirectory, String name, byte[] content) throws IOException {
        Path file = checkedDirectory.resolve(name);
        try (FileChannel out = TrustedPaths.createNewIn(checkedDirectory, name)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /**
     * Each agent build and JDK has its own directory: when a new one is made, all but the {@link #KEPT}
     * most recently used are deleted, so the cache does not grow with every upgrade. Only directories of
     * the checked root are touched, links are never followed (a link is not a directory here, and deleting
     * one removes the link). Best effort.
     */
    private static void pruneOlderThan(Path realRoot, Path current) {
        // No streams or lambdas: this runs on a first start, where the first lambda costs the JVM its
        // java.lang.invoke set-up (tens of milliseconds cold, more on JDK 8) for a handful of directories.
        final List<Path> others = new ArrayList<>();
        final Map<Path, Long> lastUsed = new HashMap<>();
        try {
            try (DirectoryStream<Path> listed = Files.newDirectoryStream(realRoot)) {
                for (Path p : listed) {
                    if (!p.equals(current)
                            && isBuildDirectoryName(p.getFileName().toString())
                            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        others.add(p);
                        lastUsed.put(p, p.toFile().lastModified());
                    }
                }
            }
            Collections.sort(
                    others,
                    new Comparator<Path>() { // most recently used first
                        @Override
                        public int compare(Path a, Path b) {
                            return Long.compare(lastUsed.get(b), lastUsed.get(a));
                        }
                    });
            for (int i = KEPT - 1; i < others.size(); i++) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(others.get(i))) {
                    for (Path entry : entries) {
                        Files.deleteIfExists(entry);
                    }
                }
                Files.deleteIfExists(others.get(i));
            }
        } catch (IOException | RuntimeException e) {
            // an old directory left behind costs a few hundred kilobytes, nothing else
        }
    }

    /** {@code v[0-9]+-[0-9a-f]+}: a directory of this cache's format, of any version. */
    static boolean isBuildDirectoryName(String name) {
        int dash = name.indexOf('-');
        if (dash < 2 || dash == name.length() - 1 || name.charAt(0) != 'v') {
            return false;
        }
        for (int i = 1; i < dash; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        for (int i = dash + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The agent jar's content and the JVM: what the transformed bytes depend on besides the original. */
    private static String fingerprint() throws IOException {
        CRC32 crc = new CRC32();
        File jar;
        try {
            jar = new File(TransformCache.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the agent jar: " + e.getMessage());
        }
        if (jar.isFile()) {
            try (InputStream in = Files.newInputStream(jar.toPath())) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            }
        } else {
            crc.update(jar.getPath().getBytes("UTF-8")); // classes in a directory: unit tests
        }
        crc.update(
                (System.getProperty("java.vm.vendor") + "/" + System.getProperty("java.vm.version")).getBytes("UTF-8"));
        return VERSION + Long.toHexString(crc.getValue());
    }

    /** The entry's file name: which original it is for (the entry itself proves it). */
    private static String entryName(String internalName, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return internalName.replace('/', '.') + "-" + original.length + "-" + Long.toHexString(crc.getValue()) + ".bin";
    }
}
