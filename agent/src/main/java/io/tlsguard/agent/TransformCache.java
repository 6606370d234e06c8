package io.tlsguard.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The hooked JDK classes as tlsguard transformed them in an earlier run, kept on disk so that a JVM
 * started again with the same agent and the same JDK defines them without loading Byte Buddy at all
 * (Byte Buddy costs a few hundred milliseconds of startup, run cold; see docs/performance.md).
 *
 * <p>An entry holds the original class file and the transformed one: it is used only when the class
 * file the JVM offers is byte for byte the original, and only when its checksum holds. Entries live in
 * a directory per agent jar content (its CRC-32) and JVM version, so a new build or JDK never sees old
 * entries. The directory must belong to the user and be closed to others (these bytes become JDK
 * classes); anything else, or any I/O problem, turns the cache off for the run, silently: tlsguard
 * then works as without it. {@code cache=off} turns it off; {@code cache=DIR} moves it.
 */
final class TransformCache {
    private static final int MAGIC = 0x7C5CAC4E;
    private static final int MAX_CLASS_FILE = 1 << 20;
    /** Directories (agent build x JDK) kept: a host running a few JDKs with one agent keeps them all. */
    private static final int KEPT = 8;

    static final AtomicLong HITS = new AtomicLong();

    private final Path root;
    private volatile Path directory;
    private volatile String offBecause;

    private TransformCache(Path root, String offBecause) {
        this.root = root;
        this.offBecause = offBecause;
    }

    /** @param option null (the default place), "off", or a directory */
    static TransformCache open(String option) {
        if ("off".equals(option)) {
            return new TransformCache(null, "cache=off");
        }
        if (option != null) {
            return new TransformCache(FileSystems.getDefault().getPath(option).toAbsolutePath(), null);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        File base = xdg != null && xdg.startsWith("/") ? new File(xdg) : new File(System.getProperty("user.home"), ".cache");
        return new TransformCache(new File(base, "tlsguard").toPath(), null);
    }

    /** For status: the directory in use, or why there is none. */
    String describe() {
        Path dir = directory;
        String off = offBecause;
        return off != null ? "off (" + off + ")" : dir != null ? dir.toString() : root.toString();
    }

    /** The transformed class file stored for exactly this original, or null. Never throws. */
    byte[] lookup(String internalName, byte[] original) {
        Path dir = directory();
        if (dir == null) {
            return null;
        }
        Path entry = dir.resolve(entryName(internalName, original));
        try {
            if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(entry);
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            if (bytes.length < 20 || in.readInt() != MAGIC) {
                return null;
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            if (crc.getValue() != readLong(bytes, bytes.length - 8)) {
                return null;
            }
            byte[] stored = new byte[checkedLength(in.readInt())];
            in.readFully(stored);
            if (!Arrays.equals(stored, original)) {
                return null;
            }
            byte[] transformed = new byte[checkedLength(in.readInt())];
            in.readFully(transformed);
            HITS.incrementAndGet();
            return transformed;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Keeps a transformation for the next run; written aside and renamed, so readers never see half. */
    void store(String internalName, byte[] original, byte[] transformed) {
        Path dir = directory();
        if (dir == null) {
            return;
        }
        Path temp = null;
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(original.length + transformed.length + 20);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(MAGIC);
            out.writeInt(original.length);
            out.write(original);
            out.writeInt(transformed.length);
            out.write(transformed);
            CRC32 crc = new CRC32();
            crc.update(buffer.toByteArray());
            out.writeLong(crc.getValue());
            temp = Files.createTempFile(dir, "entry-", ".tmp");
            Files.write(temp, buffer.toByteArray());
            Path entry = dir.resolve(entryName(internalName, original));
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException | RuntimeException e) {
            offBecause = "cannot write " + dir + ": " + e.getMessage();
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // left for the next run to overwrite
                }
            }
        }
    }

    /** Made on first use (the first hooked class), not at startup. */
    private Path directory() {
        Path dir = directory;
        if (dir != null || offBecause != null) {
            return offBecause != null ? null : dir;
        }
        synchronized (this) {
            if (directory == null && offBecause == null) {
                try {
                    Path made = root.resolve(fingerprint());
                    createPrivate(root);
                    boolean fresh = !Files.exists(made, LinkOption.NOFOLLOW_LINKS);
                    createPrivate(made);
                    directory = made;
                    if (fresh) {
                        pruneOlderThan(made);
                    }
                } catch (IOException | RuntimeException e) {
                    offBecause = e.getMessage();
                }
            }
            return offBecause != null ? null : directory;
        }
    }

    /**
     * Each agent build and JDK has its own directory: when a new one is made, all but the {@link #KEPT}
     * most recently used are deleted, so the cache does not grow with every upgrade. Best effort.
     */
    private void pruneOlderThan(Path current) {
        try (java.util.stream.Stream<Path> listed = Files.list(root)) {
            Path[] others = listed.filter(p -> !p.equals(current) && p.getFileName().toString().matches("v1-[0-9a-f]+"))
                    .sorted(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed())
                    .toArray(Path[]::new);
            for (int i = KEPT - 1; i < others.length; i++) {
                try (java.util.stream.Stream<Path> entries = Files.list(others[i])) {
                    for (Path entry : (Iterable<Path>) entries::iterator) {
                        Files.deleteIfExists(entry);
                    }
                }
                Files.deleteIfExists(others[i]);
            }
        } catch (IOException | RuntimeException e) {
            // an old directory left behind costs a few hundred kilobytes, nothing else
        }
    }

    /** Creates the directory owner-only, or checks that an existing one is the user's and closed to others. */
    private static void createPrivate(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw new IOException("not a POSIX file system, ownership cannot be checked");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another JVM made it: checked below like any existing one
            }
        }
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        if (!attributes.owner().getName().equals(System.getProperty("user.name"))) {
            throw new IOException(dir + " belongs to " + attributes.owner().getName());
        }
        for (PosixFilePermission open : new PosixFilePermission[] {PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE}) {
            if (attributes.permissions().contains(open)) {
                throw new IOException(dir + " is writable by others");
            }
        }
    }

    /** The agent jar's content and the JVM: what the transformed bytes depend on besides the original. */
    private static String fingerprint() throws IOException {
        CRC32 crc = new CRC32();
        File jar;
        try {
            jar = new File(TransformCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
        crc.update((System.getProperty("java.vm.vendor") + "/" + System.getProperty("java.vm.version")).getBytes("UTF-8"));
        return "v1-" + Long.toHexString(crc.getValue());
    }

    private static String entryName(String internalName, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return internalName.replace('/', '.') + "-" + original.length + "-" + Long.toHexString(crc.getValue()) + ".bin";
    }

    private static int checkedLength(int length) throws IOException {
        if (length < 0 || length > MAX_CLASS_FILE) {
            throw new IOException("bad length");
        }
        return length;
    }

    private static long readLong(byte[] b, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (b[at + i] & 0xFF);
        }
        return value;
    }
}
