package io.tlsguard.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * The attach target: loads JDK classes (without initialising them) until about {@code classes} are loaded, uses
 * JSSE once (so the agent has JDK classes to retransform), prints {@code READY loaded=N}, then waits for a line on
 * stdin (or end of input) and exits.
 *
 * <p>args: classes=N
 */
public final class LoadClasses {
    public static void main(String[] args) throws Exception {
        int target = (int) Tls.arg(args, "classes", 10_000);
        SSLContext ctx = Tls.context();
        new Tls.Pair(ctx, "TLSv1.3", "127.0.0.1", 443).handshake();
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        List<String> names = jdkClassNames();
        Collections.sort(names);
        int step = Math.max(1, names.size() / (target + 2000)); // spread over the JDK, not only java.applet...
        int loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        for (int pass = 0; pass < step && loaded < target; pass++) {
            for (int i = pass; i < names.size() && loaded < target; i += step) {
                try {
                    Class.forName(names.get(i), false, loader);
                    if ((i & 255) == 0) {
                        loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
                    }
                } catch (Throwable skip) {
                    // not loadable here (module not resolved, missing dependency): next
                }
            }
            loaded = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        }
        System.out.println(
                "READY loaded=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }

    static List<String> jdkClassNames() throws Exception {
        List<String> names = new ArrayList<>();
        File home = new File(System.getProperty("java.home"));
        File rt = new File(home, "lib/rt.jar");
        if (rt.isFile()) { // JDK 8
            try (JarFile jar = new JarFile(rt)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    add(names, e.nextElement().getName());
                }
            }
            return names;
        }
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : new String[] {
            "java.base",
            "java.desktop",
            "java.xml",
            "java.sql",
            "java.management",
            "java.naming",
            "java.logging",
            "java.rmi",
            "java.scripting",
            "java.prefs",
            "java.net.http",
            "java.security.jgss"
        }) {
            Path root = jrt.getPath("/modules", module);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                s.forEach(p -> add(names, root.relativize(p).toString()));
            }
        }
        return names;
    }

    private static void add(List<String> names, String entry) {
        if (entry.endsWith(".class") && !entry.endsWith("module-info.class") && !entry.startsWith("META-INF")) {
            names.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
        }
    }
}
