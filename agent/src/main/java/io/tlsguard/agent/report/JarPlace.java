package io.tlsguard.agent.report;

import java.io.File;
import java.net.URI;
import java.net.URL;

/**
 * The place a code source URL names: a file, or an entry of a jar file (a library nested in an executable
 * jar). Spring Boot's loader names the library in {@code BOOT-INF/lib/x.jar} of {@code /path/app.jar}
 * {@code jar:nested:/path/app.jar/!BOOT-INF/lib/x.jar!/} (Boot 3.2 and later) or
 * {@code jar:file:/path/app.jar!/BOOT-INF/lib/x.jar!/} (before), and the application's own classes
 * {@code …!BOOT-INF/classes/!/}. The URL is only trusted to name a path: an outer path must be absolute and
 * an entry relative, neither with a {@code ..} segment, a backslash or a control character; anything else
 * is not a place tlsguard reads, and is named by the URL as it is. A {@code file:} URL is the file's path, as
 * before nested jars were read.
 */
final class JarPlace {
    private static final int MAX_ENTRY_NAME = 512;

    /** The file to open, or null when the URL names nothing tlsguard reads (a remote URL, a malformed one). */
    final File file;
    /** The nested jar's (or classes directory's) entry name in {@link #file}, without a trailing '/'; or null. */
    final String entry;
    /** How the report names the place: the file's path, {@code /path/app.jar!/BOOT-INF/lib/x.jar}, or the URL. */
    final String name;

    private JarPlace(File file, String entry, String name) {
        this.file = file;
        this.entry = entry;
        this.name = name;
    }

    /** Whether the entry is a nested jar (read it), rather than a directory of classes in the outer jar. */
    boolean nestedJar() {
        return entry != null && entry.endsWith(".jar");
    }

    static JarPlace of(URL location) {
        String url = location.toExternalForm();
        JarPlace place = null;
        try {
            if ("file".equals(location.getProtocol())) { // a jar or a directory, named by its path as it is
                File file = new File(location.toURI());
                place = new JarPlace(file, null, file.getPath());
            } else if (url.startsWith("jar:nested:")) { // jar:nested:/path/app.jar/!BOOT-INF/lib/x.jar!/
                place = nested(url.substring("jar:nested:".length()), "/!");
            } else if (url.startsWith("jar:file:")) { // jar:file:/path/app.jar!/BOOT-INF/lib/x.jar!/
                place = nested(url.substring("jar:".length()), "!/");
            }
        } catch (Exception | Error notAPath) {
            place = null;
        }
        return place != null ? place : new JarPlace(null, null, url);
    }

    /** {@code OUTER SEPARATOR ENTRY!/} (or {@code OUTER!/} alone: the outer jar itself). */
    private static JarPlace nested(String rest, String separator) throws Exception {
        if (!rest.endsWith("!/")) {
            return null;
        }
        rest = rest.substring(0, rest.length() - 2);
        int split = rest.indexOf(separator);
        String outer = split < 0 ? rest : rest.substring(0, split);
        String entry = split < 0 ? null : decoded(rest.substring(split + separator.length()));
        // "file:" in the classic form; a plain absolute path in the nested form
        File file = new File(new URI(outer.startsWith("file:") ? outer : "file:" + outer));
        if (entry != null) {
            entry = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            if (!safeEntry(entry)) {
                return null;
            }
        }
        String path = file.getPath();
        if (!file.isAbsolute() || !safePath(path.replace(File.separatorChar, '/'))) {
            return null;
        }
        return new JarPlace(file, entry, entry == null ? path : path + "!/" + entry);
    }

    /** Percent-decoded, as the URL's path (never '+' for a space: this is not a form). */
    private static String decoded(String encoded) throws Exception {
        if (encoded.startsWith("/") || encoded.indexOf('?') >= 0 || encoded.indexOf('#') >= 0) {
            throw new IllegalArgumentException("not a path");
        }
        return new URI("file:/" + encoded).getPath().substring(1);
    }

    private static boolean safeEntry(String entry) {
        return !entry.isEmpty()
                && entry.length() <= MAX_ENTRY_NAME
                && !entry.startsWith("/")
                && entry.indexOf(':') < 0
                && safePath(entry);
    }

    private static boolean safePath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < ' ' || c == 0x7f || c == '\\' || c == '!') {
                return false;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }
}
