package io.tlsguard.attach;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's rule for a path tlsguard writes or trusts: no other user can write, replace or redirect any part of
 * it. Every directory from {@code /} down is owned by root or the user and writable by no one else, except a sticky
 * directory such as {@code /tmp}, whose entry below must then be the user's own. The check runs on the real path
 * (symbolic links resolved): a link is fixed once made, and every directory it could be replaced in is checked as
 * part of the real path. The agent applies the same rule (io.tlsguard.agent.files.TrustedPaths) to the reply path.
 */
final class SafePaths {
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHERS_WRITE = 020 | 02;

    private SafePaths() {}

    /** Why user {@code uid} must not trust the existing directory {@code dir}, or null when it may. */
    static String whyUntrusted(Path dir, int uid) throws IOException {
        return whyUntrusted(dir, uid, false);
    }

    /**
     * As {@link #whyUntrusted(Path, int)}; with {@code sharedLeafOk}, {@code dir} may itself be a sticky shared
     * directory (such as /tmp) in which the user is about to create an entry of its own.
     */
    private static String whyUntrusted(Path dir, int uid, boolean sharedLeafOk) throws IOException {
        Path real = dir.toRealPath();
        List<Path> chain = new ArrayList<>();
        for (Path p = real; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        Path sharedParent = null;
        for (Path p : chain) {
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (sharedParent != null && owner != uid) {
                return p + " is in the shared directory " + sharedParent + " and belongs to "
                        + Procs.describeUser(owner) + ", not to you";
            }
            if (owner != 0 && owner != uid) {
                return p + " belongs to " + Procs.describeUser(owner) + ", neither to you nor to root";
            }
            if ((mode & GROUP_OR_OTHERS_WRITE) == 0) {
                sharedParent = null;
            } else if ((mode & STICKY) != 0) {
                sharedParent = p;
            } else {
                return p + " can be written by other users (mode " + Integer.toOctalString(mode & 07777) + ")";
            }
        }
        if (sharedParent != null && !sharedLeafOk) {
            return real + " is a shared directory (mode "
                    + Integer.toOctalString(
                            (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777)
                    + ")";
        }
        return null;
    }

    /**
     * Creates {@code dir} and any missing parents owner-only (rwx------), after checking that the deepest existing
     * ancestor is trusted; then checks the whole path again and closes {@code dir} itself to others when it is ours.
     * Returns the real path of {@code dir}, or throws an IOException whose message says why it cannot be used.
     */
    static Path privateDirectory(Path dir, int uid) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        List<String> missing = new ArrayList<>();
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.add(0, existing.getFileName().toString());
            existing = existing.getParent();
            if (existing == null) {
                throw new NoSuchFileException(absolute.toString());
            }
        }
        if (!missing.isEmpty()) {
            String why = whyUntrusted(existing, uid, true);
            if (why != null) {
                throw new IOException(why);
            }
        }
        Path current = existing.toRealPath();
        for (String name : missing) {
            current = current.resolve(name);
            try {
                Files.createDirectory(
                        current, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile (another tlsguard-attach of this user?): checked below like any existing one
            } catch (AccessDeniedException e) {
                throw new IOException("cannot create " + current + ": permission denied", e);
            }
        }
        Path real = current.toRealPath();
        int owner = (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            throw new IOException(real + " belongs to " + Procs.describeUser(owner) + ", not to you");
        }
        int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 077) != 0) {
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------")); // ours: close it
        }
        String why = whyUntrusted(real, uid);
        if (why != null) {
            throw new IOException(why);
        }
        return real;
    }
}
