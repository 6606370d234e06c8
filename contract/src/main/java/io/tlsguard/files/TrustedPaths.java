package io.tlsguard.files;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for every path tlsguard writes or trusts (report, transform cache, attach reply): no other
 * user may write, replace or redirect any part of it. Every directory from {@code /} down must be owned by
 * root or by this process's user and writable by nobody else; the one exception is a sticky directory such
 * as {@code /tmp}, where others may create entries but not replace ours, so the entry below it must be the
 * user's own (and a file directly in it is refused: its name can be taken first by anyone).
 *
 * <p>Symbolic links are resolved once ({@link Path#toRealPath}) and the real path is what is checked and
 * used afterwards: once every directory on it is closed to others, nobody else can swap any part of it.
 * Files are opened without following a link, only when they are regular files (a FIFO would block the
 * open) owned by the user; new files are created exclusively and owner-only. Ownership is compared by
 * numeric user id, never by name.
 *
 * <p>Linux and other POSIX systems; where the {@code unix} attribute view is missing the check fails,
 * and callers treat that like any other untrusted path.
 */
public final class TrustedPaths {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_ISVTX = 01000;
    private static final int WRITABLE_BY_OTHERS = 0022;
    private static final int ROOT = 0;

    private static volatile int uid = -1;

    private TrustedPaths() {}

    /** This process's effective user id (files it creates are owned by it). */
    public static int currentUid() throws IOException {
        int known = uid;
        if (known < 0) {
            known = readEffectiveUid();
            uid = known;
        }
        return known;
    }

    /**
     * Checks that {@code dir} is a directory that no other user can write, replace or redirect.
     *
     * @return the real path of {@code dir}, the one to use from now on
     * @throws UntrustedPathException naming the first component that fails, and why
     */
    public static Path checkDirectory(Path dir) throws IOException {
        return check(dir, false);
    }

    /**
     * @param mayBeShared whether {@code dir} itself may be a shared sticky directory such as {@code /tmp}:
     *                    true for the parent in which a private directory of ours is about to be made
     */
    private static Path check(Path dir, boolean mayBeShared) throws IOException {
        Path real;
        try {
            real = dir.toAbsolutePath().toRealPath();
        } catch (NoSuchFileException e) {
            throw new UntrustedPathException(dir + " does not exist");
        }
        int me = currentUid();
        Path current = real.getRoot();
        boolean belowSharedSticky = false;
        List<Path> components = components(real);
        for (int i = 0; i <= components.size(); i++) {
            if (i > 0) {
                current = current.resolve(components.get(i - 1));
            }
            Attributes a = Attributes.of(current);
            if (!a.isDirectory()) {
                throw new UntrustedPathException(current + " is not a directory");
            }
            if (belowSharedSticky && a.uid != me) {
                throw new UntrustedPathException(current + " is in the shared directory " + current.getParent()
                        + " and belongs to uid " + a.uid + ", not to you (uid " + me + ")");
            }
            if (a.uid != me && a.uid != ROOT) {
                throw new UntrustedPathException(
                        current + " belongs to uid " + a.uid + ", neither you (uid " + me + ") nor root");
            }
            boolean last = i == components.size();
            belowSharedSticky = false;
            if (a.writableByOthers()) {
                if (!a.sticky()) {
                    throw new UntrustedPathException(
                            current + " is writable by other users (mode " + a.modeString() + ")");
                }
                if (last && !mayBeShared) {
                    throw new UntrustedPathException(current + " is shared with other users (mode " + a.modeString()
                            + "): use a directory of your own in it, closed to others");
                }
                belowSharedSticky = true;
            }
        }
        return real;
    }

    /**
     * Creates {@code dir} owner-only (and its missing parents, owner-only too) unless it exists, then
     * {@link #checkDirectory checks} it. Nothing is made inside a directory that fails the rule (the
     * parent is checked first): tlsguard leaves no directory of its own where another user could reach it.
     *
     * @return the real path of {@code dir}
     */
    public static Path createPrivateDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = absolute.getParent();
            if (parent != null) {
                if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                    check(parent, true);
                } else {
                    createPrivateDirectory(parent);
                }
            }
            try {
                Files.createDirectory(
                        absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another JVM of this user made it at the same moment: checked below like any existing one
            }
        }
        return checkDirectory(absolute);
    }

    /**
     * Makes the directory {@code name} owner-only in {@code checkedDirectory} (a result of {@link #checkDirectory}
     * or {@link #createPrivateDirectory}, not checked again) unless it exists; either way it must then be a
     * directory, not a link, of this user, writable by nobody else.
     *
     * @return whether it was made now (false: it existed)
     */
    public static boolean createPrivateDirectoryIn(Path checkedDirectory, String name) throws IOException {
        Path dir = checkedDirectory.resolve(plainName(name));
        boolean made = true;
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            made = false;
        }
        Attributes a = Attributes.of(dir);
        if (!a.isDirectory()) {
            throw new UntrustedPathException(dir + " is not a directory" + (a.isLink() ? " (a symbolic link)" : ""));
        }
        if (a.uid != currentUid()) {
            throw new UntrustedPathException(
                    dir + " belongs to uid " + a.uid + ", not to you (uid " + currentUid() + ")");
        }
        if (a.writableByOthers()) {
            throw new UntrustedPathException(dir + " is writable by other users (mode " + a.modeString() + ")");
        }
        return made;
    }

    /**
     * Opens {@code file} for appending: created exclusively and owner-only when missing; when it exists,
     * accepted only as a regular file (not a link, FIFO or device) owned by this user. The directory is
     * checked first.
     */
    public static FileChannel openForAppend(Path file) throws IOException {
        Path real = realFile(file);
        for (int attempt = 0; ; attempt++) {
            if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return create(real, StandardOpenOption.APPEND);
                } catch (FileAlreadyExistsException raced) {
                    if (attempt > 0) {
                        throw raced;
                    }
                    continue; // made by another JVM of this user between the two calls: check it as an existing file
                }
            }
            checkOwnRegularFile(real);
            Set<OpenOption> options = new HashSet<>(Arrays.<OpenOption>asList(
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS));
            return FileChannel.open(real, options);
        }
    }

    /** Creates {@code file} exclusively and owner-only for writing; fails if anything exists there. */
    public static FileChannel createNew(Path file) throws IOException {
        return create(realFile(file), StandardOpenOption.WRITE);
    }

    /** Opens {@code file} for reading, only a regular file owned by this user in a trusted directory. */
    public static FileChannel openForReading(Path file) throws IOException {
        Path real = realFile(file);
        checkOwnRegularFile(real);
        Set<OpenOption> options =
                new HashSet<>(Arrays.<OpenOption>asList(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        return FileChannel.open(real, options);
    }

    /**
     * Opens the file {@code name} in {@code checkedDirectory} for reading, only a regular file owned by this
     * user, links not followed. For many files in one directory: {@code checkedDirectory} must be what
     * {@link #checkDirectory} or {@link #createPrivateDirectory} returned (it is not checked again).
     */
    public static FileChannel openForReadingIn(Path checkedDirectory, String name) throws IOException {
        Path file = checkedDirectory.resolve(plainName(name));
        checkOwnRegularFile(file);
        Set<OpenOption> options =
                new HashSet<>(Arrays.<OpenOption>asList(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        return FileChannel.open(file, options);
    }

    /** Creates the file {@code name} exclusively and owner-only in {@code checkedDirectory} (as for {@link #openForReadingIn}). */
    public static FileChannel createNewIn(Path checkedDirectory, String name) throws IOException {
        return create(checkedDirectory.resolve(plainName(name)), StandardOpenOption.WRITE);
    }

    /** Fails unless {@code file} is a regular file (not a link) owned by this user. */
    public static void checkOwnRegularFile(Path file) throws IOException {
        Attributes a = Attributes.of(file);
        if (!a.isRegularFile()) {
            throw new UntrustedPathException(
                    file + " is not a regular file" + (a.isLink() ? " (a symbolic link)" : ""));
        }
        if (a.uid != currentUid()) {
            throw new UntrustedPathException(
                    file + " belongs to uid " + a.uid + ", not to you (uid " + currentUid() + ")");
        }
    }

    /** The file in the real path of its checked directory. */
    private static Path realFile(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new UntrustedPathException(file + " is not a file name");
        }
        return checkDirectory(parent).resolve(absolute.getFileName().toString());
    }

    private static String plainName(String name) throws UntrustedPathException {
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new UntrustedPathException("'" + name + "' is not a plain file name");
        }
        return name;
    }

    private static FileChannel create(Path real, OpenOption mode) throws IOException {
        Set<OpenOption> options = new HashSet<>(
                Arrays.<OpenOption>asList(StandardOpenOption.CREATE_NEW, mode, LinkOption.NOFOLLOW_LINKS));
        return FileChannel.open(
                real, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static List<Path> components(Path real) {
        Path[] parts = new Path[real.getNameCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = real.getName(i);
        }
        return Arrays.asList(parts);
    }

    /**
     * The second number of the "Uid:" line (real, effective, saved, fs) of /proc/self/status, read with a
     * plain stream (this runs on a host's start: no readers, decoders or channels loaded for it); elsewhere
     * the owner of a file this process creates.
     */
    private static int readEffectiveUid() throws IOException {
        try (InputStream in = new FileInputStream("/proc/self/status")) {
            byte[] status = new byte[8192];
            int length = 0;
            for (int n; length < status.length && (n = in.read(status, length, status.length - length)) > 0; ) {
                length += n;
            }
            String text = new String(status, 0, length, StandardCharsets.ISO_8859_1);
            int line = text.startsWith("Uid:") ? 0 : text.indexOf("\nUid:") + 1;
            if (line > 0 || text.startsWith("Uid:")) {
                int end = text.indexOf('\n', line);
                String[] ids = text.substring(line + 4, end < 0 ? length : end)
                        .trim()
                        .replace('\t', ' ')
                        .split(" ");
                return Integer.parseInt(ids[ids.length > 1 ? 1 : 0].trim());
            }
        } catch (IOException | RuntimeException notLinux) {
            // below
        }
        Path probe = Files.createTempFile("tlsguard-uid-", ".tmp");
        try {
            return Attributes.of(probe).uid;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** What {@code lstat} says of one path: owner and mode, links not followed. */
    private static final class Attributes {
        final int uid;
        final int mode;

        private Attributes(int uid, int mode) {
            this.uid = uid;
            this.mode = mode;
        }

        static Attributes of(Path path) throws IOException {
            Map<String, Object> a;
            try {
                a = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                throw new UntrustedPathException(
                        "cannot read the owner of " + path + " on this system: " + e.getMessage());
            }
            return new Attributes((Integer) a.get("uid"), (Integer) a.get("mode"));
        }

        boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        boolean isLink() {
            return (mode & S_IFMT) == 0120000;
        }

        boolean writableByOthers() {
            return (mode & WRITABLE_BY_OTHERS) != 0;
        }

        boolean sticky() {
            return (mode & S_ISVTX) != 0;
        }

        String modeString() {
            return String.format("%04o", mode & 07777);
        }
    }
}
