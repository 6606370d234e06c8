package io.tlsguard.samples.jsse;

import java.io.File;

/**
 * A program that uses no TLS at all: it waits until a file whose name starts with a prefix appears in a directory
 * tree (exit 0), or a number of seconds pass (exit 3). Tests use it to see what tlsguard does on its own threads
 * while the program never touches JSSE (its first start weaves {@code SSLContext} ahead into the cache).
 *
 * <p>{@code AwaitFile DIR PREFIX SECONDS}. A class of its own: nothing here may load a JSSE class.
 */
public final class AwaitFile {
    private AwaitFile() {}

    public static void main(String[] args) throws InterruptedException {
        File dir = new File(args[0]);
        String prefix = args[1];
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (found(dir, prefix)) {
                System.out.println("found");
                return;
            }
            Thread.sleep(20);
        }
        System.out.println("not found");
        System.exit(3);
    }

    private static boolean found(File dir, String prefix) {
        File[] files = dir.listFiles();
        if (files == null) {
            return false;
        }
        for (File f : files) {
            if (f.getName().startsWith(prefix) || (f.isDirectory() && found(f, prefix))) {
                return true;
            }
        }
        return false;
    }
}
