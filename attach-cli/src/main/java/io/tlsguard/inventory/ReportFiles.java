package io.tlsguard.inventory;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The report files under the paths given: a file named on the command line is read whatever its name; a directory
 * is walked (symbolic links inside it are not followed, at most {@link #MAX_DEPTH} levels) for regular files whose
 * name ends in {@code .jsonl}. At most {@link #MAX_FILES} files: the rest are counted and said, not read.
 */
final class ReportFiles {
    static final int MAX_DEPTH = 32;
    static final int MAX_FILES = 100_000;

    private ReportFiles() {}

    static List<Path> find(List<Path> roots, Fleet fleet) {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                add(files, root, fleet);
            } else if (Files.isDirectory(root)) {
                walk(real(root), files, fleet); // a directory named on the command line may be a link to one
            } else {
                fleet.unreadable(
                        root,
                        Files.exists(root, LinkOption.NOFOLLOW_LINKS)
                                ? "not a regular file or directory"
                                : "no such file or directory");
            }
        }
        return files;
    }

    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir; // walking it says why
        }
    }

    static boolean isReportName(Path file) {
        return file.getFileName().toString().endsWith(".jsonl");
    }

    private static void add(List<Path> files, Path file, Fleet fleet) {
        if (files.size() < MAX_FILES) {
            files.add(file);
        } else {
            fleet.overLimit(file);
        }
    }

    private static void walk(Path root, List<Path> files, Fleet fleet) {
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && isReportName(file)) {
                        add(files, file, fleet);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    fleet.unreadable(file, reason(e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            fleet.unreadable(root, reason(e));
        }
    }

    static String reason(IOException e) {
        String name = e.getClass().getSimpleName();
        if (name.equals("AccessDeniedException")) {
            return "permission denied";
        }
        if (name.equals("NoSuchFileException")) {
            return "no such file or directory";
        }
        return e.getMessage() == null ? name : e.getMessage();
    }
}
