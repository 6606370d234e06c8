package io.tlsguard.agent.report;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
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
import java.util.zip.ZipInputStream;

/**
 * What a jar says about itself (a jar file, or a jar nested in one: {@link JarPlace}): its Maven coordinates ({@code META-INF/maven/GROUP/ARTIFACT/pom.properties})
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
    /** Bytes read of a jar nested in another (BOOT-INF/lib/x.jar), which is read as a stream, front to back. */
    static final long MAX_NESTED_BYTES = 128L * 1024 * 1024;

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

        /** The jar's file path, {@code /path/app.jar!/BOOT-INF/lib/x.jar} for a nested one, or else the code source's URL. */
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
            jar = jars.size() < MAX_JARS
                    ? readPrivileged(location)
                    : new Jar(JarPlace.of(location).name, null, null, null);
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
        return jar != null ? library(jar, className) : new Library(JarPlace.of(location).name, null, null, null);
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
        JarPlace place = JarPlace.of(location);
        if (place.file == null || !place.file.isFile()) { // a directory of classes, a remote URL: the place alone
            return new Jar(place.name, null, null, null);
        }
        Metadata found = new Metadata();
        try (ZipFile zip = new ZipFile(place.file)) {
            if (place.nestedJar()) {
                ZipEntry nested = zip.getEntry(place.entry);
                if (nested != null && !nested.isDirectory()) {
                    try (ZipInputStream in =
                            new ZipInputStream(new LimitedInput(zip.getInputStream(nested), MAX_NESTED_BYTES))) {
                        readNested(in, found);
                    }
                }
            } else { // the jar itself, or a directory of classes in it (BOOT-INF/classes): the application's jar
                readEntries(zip, found);
            }
        } catch (IOException | RuntimeException unreadable) {
            // the place alone, and whatever was read before
        }
        return found.jar(place.name);
    }

    /** What was found so far in one jar. */
    private static final class Metadata {
        final List<String[]> poms = new ArrayList<>();
        String[] manifest;

        Jar jar(String path) {
            return new Jar(path, poms, manifest == null ? null : manifest[0], manifest == null ? null : manifest[1]);
        }

        boolean wantsPom(String name) {
            return poms.size() < MAX_POMS && name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties");
        }

        boolean wantsManifest(String name) {
            return manifest == null && name.equals("META-INF/MANIFEST.MF");
        }

        void pom(byte[] bytes) throws IOException {
            String[] pom = LibraryJars.pom(bytes);
            if (pom != null) {
                poms.add(pom);
            }
        }
    }

    private static void readEntries(ZipFile zip, Metadata found) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        for (int n = 0; entries.hasMoreElements() && n < MAX_ENTRIES; n++) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            if (found.wantsPom(name)) {
                try (InputStream in = zip.getInputStream(entry)) {
                    found.pom(bounded(in, entry.getSize(), MAX_PROPERTIES_BYTES));
                }
            } else if (found.wantsManifest(name)) {
                try (InputStream in = zip.getInputStream(entry)) {
                    found.manifest = manifest(bounded(in, entry.getSize(), MAX_MANIFEST_BYTES));
                }
            }
        }
    }

    /**
     * A jar inside a jar, read as a stream from the outer one (a nested jar has no file of its own): the same
     * bounds as a jar on disk, and at most {@link #MAX_NESTED_BYTES} of it read.
     */
    private static void readNested(ZipInputStream zip, Metadata found) throws IOException {
        ZipEntry entry;
        for (int n = 0; n < MAX_ENTRIES && (entry = zip.getNextEntry()) != null; n++) {
            String name = entry.getName();
            if (found.wantsPom(name)) {
                found.pom(bounded(zip, entry.getSize(), MAX_PROPERTIES_BYTES));
            } else if (found.wantsManifest(name)) {
                found.manifest = manifest(bounded(zip, entry.getSize(), MAX_MANIFEST_BYTES));
            }
        }
    }

    /** A stream that ends after {@code limit} bytes, whatever follows. */
    private static final class LimitedInput extends FilterInputStream {
        private long left;

        LimitedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            left -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            left -= n < 0 ? 0 : n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }
    }

    /** {groupId, artifactId, version} of a pom.properties, or null when any is missing or malformed. */
    private static String[] pom(byte[] bytes) throws IOException {
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
    private static String[] manifest(byte[] bytes) throws IOException {
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
    private static byte[] bounded(InputStream in, long declaredSize, int max) throws IOException {
        if (declaredSize > max) {
            return null;
        }
        byte[] buffer = new byte[max + 1];
        int length = 0;
        for (int n; length <= max && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
            length += n;
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
