package io.tlsguard.agent.report;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a jar says about itself: its Maven coordinates ({@code META-INF/maven/GROUP/ARTIFACT/pom.properties})
 * or, failing those, its manifest's name and version (Bundle-SymbolicName/Bundle-Version, else
 * Implementation-Title/Implementation-Version). Called by the report writer's thread only, never by a hooked
 * one: a jar is read once, within bounds, and remembered (at most {@link #MAX_JARS} jars). What is read comes
 * from disk and is kept only when it looks like what it claims to be.
 */
public final class LibraryJars {
    static final int MAX_JARS = 256;
    /** Entries looked at in one jar, pom.properties files read, and the bytes read of each file. */
    static final int MAX_ENTRIES = 100_000;

    static final int MAX_POMS = 32;
    static final int MAX_PROPERTIES_BYTES = 8 * 1024;
    static final int MAX_MANIFEST_BYTES = 64 * 1024;

    private static final Pattern MAVEN_PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+\\-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+\\- ()]{0,127}");

    /** The shared instance the events use. */
    static final LibraryJars SHARED = new LibraryJars();

    private final Map<String, Jar> jars = new LinkedHashMap<>();
    /**
     * The jars already read, for {@link #alreadyRead}: a hooked thread looks here without a lock (the writer
     * holds {@link #of}'s while it reads a jar) and never reads a file.
     */
    private final Map<String, Jar> read = new ConcurrentHashMap<>();

    /** What is known of the library a class came from; every field may be null. */
    public static final class Library {
        static final Library NONE = new Library(null, null, null, null);

        /** The jar's file path (or the code source's URL when it is not a plain file). */
        public final String jar;
        /** groupId:artifactId:version, from pom.properties only. */
        public final String coordinates;

        public final String name;
        public final String version;

        Library(String jar, String coordinates, String name, String version) {
            this.jar = jar;
            this.coordinates = coordinates;
            this.name = name;
            this.version = version;
        }
    }

    /** What one jar holds: every valid pom.properties (a fat jar has many) and the manifest's name. */
    private static final class Jar {
        final String path;
        final List<String[]> poms; // {groupId, artifactId, version}
        final String manifestName;
        final String manifestVersion;

        Jar(String path, List<String[]> poms, String manifestName, String manifestVersion) {
            this.path = path;
            this.poms = poms;
            this.manifestName = manifestName;
            this.manifestVersion = manifestVersion;
        }
    }

    /** The library of the class {@code className} loaded from {@code location} (null: unknown). */
    synchronized Library of(URL location, String className) {
        if (location == null) {
            return Library.NONE;
        }
        String key = location.toExternalForm();
        Jar jar = jars.get(key);
        if (jar == null) {
            jar = jars.size() < MAX_JARS ? readPrivileged(location) : new Jar(path(location), null, null, null);
            if (jars.size() < MAX_JARS) {
                jars.put(key, jar);
                read.put(key, jar);
            }
        }
        return library(jar, className);
    }

    /**
     * What is known without reading anything (for a hooked thread: Flight Recorder's pin events): the jar's path
     * from {@code location}, and what the jar says about itself once the report writer has read it (from the
     * library's second pin on, usually).
     */
    public static Library alreadyRead(URL location, String className) {
        if (location == null) {
            return Library.NONE;
        }
        Jar jar = SHARED.read.get(location.toExternalForm());
        return jar != null ? library(jar, className) : new Library(path(location), null, null, null);
    }

    private static Library library(Jar jar, String className) {
        String[] pom = owner(jar.poms, className);
        if (pom != null) {
            return new Library(jar.path, pom[0] + ':' + pom[1] + ':' + pom[2], pom[1], pom[2]);
        }
        return new Library(jar.path, null, jar.manifestName, jar.manifestVersion);
    }

    /**
     * The pom.properties that owns a class: the only one, or in a jar of many (shaded, fat) the one whose
     * groupId is the longest prefix of the class's package; none when no groupId matches.
     */
    static String[] owner(List<String[]> poms, String className) {
        if (poms == null || poms.isEmpty()) {
            return null;
        }
        if (poms.size() == 1) {
            return poms.get(0);
        }
        String[] best = null;
        for (String[] pom : poms) {
            if (className.startsWith(pom[0] + '.') && (best == null || pom[0].length() > best[0].length())) {
                best = pom;
            }
        }
        return best;
    }

    private static String path(URL location) {
        if ("file".equals(location.getProtocol())) {
            try {
                return new File(location.toURI()).getPath();
            } catch (Exception | Error notAFilePath) {
                // the URL as it is
            }
        }
        return location.toExternalForm();
    }

    /** Judged by tlsguard's permissions, whatever thread context the writer inherited. */
    private static Jar readPrivileged(final URL location) {
        return AccessController.doPrivileged(new PrivilegedAction<Jar>() {
            @Override
            public Jar run() {
                return read(location);
            }
        });
    }

    private static Jar read(URL location) {
        String path = path(location);
        File file = "file".equals(location.getProtocol()) ? new File(path) : null;
        if (file == null || !file.isFile()) { // a directory of classes, a nested jar: the place alone
            return new Jar(path, null, null, null);
        }
        List<String[]> poms = new ArrayList<>();
        String[] manifest = null;
        try (ZipFile zip = new ZipFile(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            for (int n = 0; entries.hasMoreElements() && n < MAX_ENTRIES; n++) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (poms.size() < MAX_POMS && name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                    String[] pom = pom(zip, entry);
                    if (pom != null) {
                        poms.add(pom);
                    }
                } else if (manifest == null && name.equals("META-INF/MANIFEST.MF")) {
                    manifest = manifest(zip, entry);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the place alone, and whatever was read before
        }
        return new Jar(path, poms, manifest == null ? null : manifest[0], manifest == null ? null : manifest[1]);
    }

    /** {groupId, artifactId, version} of a pom.properties, or null when any is missing or malformed. */
    private static String[] pom(ZipFile zip, ZipEntry entry) throws IOException {
        byte[] bytes = bounded(zip, entry, MAX_PROPERTIES_BYTES);
        if (bytes == null) {
            return null;
        }
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        String group = valid(p.getProperty("groupId"), MAVEN_PART);
        String artifact = valid(p.getProperty("artifactId"), MAVEN_PART);
        String version = valid(p.getProperty("version"), MAVEN_PART);
        return group == null || artifact == null || version == null ? null : new String[] {group, artifact, version};
    }

    /** {name, version} of a manifest, either may be null. */
    private static String[] manifest(ZipFile zip, ZipEntry entry) throws IOException {
        byte[] bytes = bounded(zip, entry, MAX_MANIFEST_BYTES);
        if (bytes == null) {
            return null;
        }
        Attributes main = new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes();
        String bundle = main.getValue("Bundle-SymbolicName");
        if (bundle != null && bundle.indexOf(';') >= 0) {
            bundle = bundle.substring(0, bundle.indexOf(';')); // directives: ;singleton:=true
        }
        String name = valid(bundle, NAME);
        String version = valid(main.getValue("Bundle-Version"), MAVEN_PART);
        if (name == null) {
            name = valid(main.getValue("Implementation-Title"), NAME);
            version = valid(main.getValue("Implementation-Version"), MAVEN_PART);
        }
        return new String[] {name, version};
    }

    /** The entry's bytes, or null when it is larger than {@code max}, whatever its header claims. */
    private static byte[] bounded(ZipFile zip, ZipEntry entry, int max) throws IOException {
        if (entry.getSize() > max) {
            return null;
        }
        byte[] buffer = new byte[max + 1];
        int length = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n; length <= max && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
            }
        }
        if (length > max) {
            return null;
        }
        byte[] out = new byte[length];
        System.arraycopy(buffer, 0, out, 0, length);
        return out;
    }

    private static String valid(String value, Pattern pattern) {
        // as it is: trim() would also strip control characters, and a value with those is not a name
        return value != null && pattern.matcher(value).matches() ? value : null;
    }
}
