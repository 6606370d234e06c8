package io.tlsguard.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.AllPermission;
import java.security.CodeSource;
import java.security.Permissions;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * The class loader of tlsguard's implementation: the agent jar, with the platform (Java 9+) or extension
 * (Java 8) loader as parent, so that the bootstrap runtime and the JDK are shared and nothing of the
 * application is visible.
 *
 * <p>Its classes hold {@link AllPermission}, whatever the security policy says (a {@code Permissions}
 * holding AllPermission makes the ProtectionDomain answer every check without asking the policy). Why:
 * under a security manager whose policy grants only the application's code, tlsguard's hooks run on the
 * application's threads and must read system properties, JSSE's fields and socket addresses; the
 * system class loader would give tlsguard.jar nothing. tlsguard is code the operator chose to run with
 * {@code -javaagent}, which can redefine any class anyway. What matters is that the application's
 * sandboxed code cannot use tlsguard as a deputy: no class of this loader is reachable from it, and
 * every privileged action is tlsguard's own (see {@link AgentStart}, {@link io.tlsguard.agent.hooks.PrivilegedHandler}).
 *
 * <p>Why not a {@code URLClassLoader}: a first start loads ~670 classes from this jar (most of them Byte
 * Buddy's, on the way to the first woven class), and a URLClassLoader makes a URL, a resource object and a
 * manifest check for each; reading the entry from the one open jar file loads the same classes ~15 % faster
 * (docs/performance.md). The jar is opened once, when tlsguard starts, and stays open while the JVM runs.
 */
final class AgentClassLoader extends ClassLoader implements Consumer<Object> {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final String START = "io.tlsguard.agent.AgentStart";

    private final Object entryLock = new Object();
    /** AgentStart's entry points (premain's and agentmain's), handed over by its static initializer. */
    private BiConsumer<String, Instrumentation> atStartup;

    private BiConsumer<String, Instrumentation> onAttach;
    /** The parent's resources through a class of this loader (see {@link PlatformResources}); null until AgentStart ran. */
    private volatile Function<String, InputStream> platformResources;
    /** The parent, kept: {@code getParent()} is a permission check that this class's own frames may fail. */
    private final ClassLoader platform;

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    private final Attributes mainAttributes;
    private final URL sealBase;

    AgentClassLoader(URL agentJar, ClassLoader parent) throws IOException {
        super(parent);
        this.platform = parent;
        File file;
        try {
            file = new File(agentJar.toURI());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException("tlsguard's jar is not a file: " + agentJar, e);
        }
        this.jar = new JarFile(file, false); // not signed: nothing to verify
        this.jarUrl = agentJar.toString();
        Permissions all = new Permissions();
        all.add(new AllPermission());
        this.domain = new ProtectionDomain(new CodeSource(agentJar, (Certificate[]) null), all, this, null);
        Manifest manifest = jar.getManifest();
        this.mainAttributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
        this.sealBase = "true".equalsIgnoreCase(mainAttributes.getValue(Attributes.Name.SEALED)) ? agentJar : null;
    }

    /**
     * tlsguard's start, for the trampoline: {@code AgentStart}'s entry point, a JDK interface both loaders know.
     * Not a reflective call: on JDK 18+ the first one builds method handles (JEP 416), ~25-45 ms of a start on
     * JDK 25 (docs/performance.md). Loading {@code AgentStart} runs its static initializer, which hands its entry
     * points to {@link #accept}.
     */
    BiConsumer<String, Instrumentation> start(boolean dynamic) throws ClassNotFoundException {
        synchronized (entryLock) {
            if (atStartup == null) {
                Class.forName(START, true, this);
            }
            if (atStartup == null) {
                throw new IllegalStateException(START + " did not hand over its entry points");
            }
            return dynamic ? onAttach : atStartup;
        }
    }

    /**
     * Takes {@code AgentStart}'s two entry points and the way to the parent's resources, once: only objects of
     * classes this loader defined count, so code that reached this loader cannot put its own in their place.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void accept(Object entryPoints) {
        if (!(entryPoints instanceof Object[]) || ((Object[]) entryPoints).length != 3) {
            return;
        }
        Object startup = ((Object[]) entryPoints)[0];
        Object attach = ((Object[]) entryPoints)[1];
        Object resources = ((Object[]) entryPoints)[2];
        if (!(startup instanceof BiConsumer)
                || !(attach instanceof BiConsumer)
                || !(resources instanceof Function)
                || startup.getClass().getClassLoader() != this
                || attach.getClass().getClassLoader() != this
                || resources.getClass().getClassLoader() != this) {
            return;
        }
        synchronized (entryLock) {
            if (atStartup == null) {
                atStartup = (BiConsumer<String, Instrumentation>) startup;
                onAttach = (BiConsumer<String, Instrumentation>) attach;
                platformResources = (Function<String, InputStream>) resources;
            }
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        ZipEntry entry = jar.getEntry(path);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try {
            bytes = read(entry);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        definePackageOf(name);
        try {
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (LinkageError e) {
            // The JVM runs every agent's transformer while it defines the class; one that loads the class it is
            // shown (to describe it) makes this thread define it first, from the same bytes, and this definition
            // a duplicate. That class is the one: failing here would stop a start that enforce must not lose.
            Class<?> definedMeanwhile = findLoadedClass(name);
            if (definedMeanwhile != null) {
                return definedMeanwhile;
            }
            throw e;
        }
    }

    /** As a URLClassLoader would: the manifest's version (status prints it) and its seal. */
    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String name = className.substring(0, dot);
        if (getPackage(name) != null) {
            return;
        }
        try {
            definePackage(
                    name,
                    mainAttributes.getValue(Attributes.Name.SPECIFICATION_TITLE),
                    mainAttributes.getValue(Attributes.Name.SPECIFICATION_VERSION),
                    mainAttributes.getValue(Attributes.Name.SPECIFICATION_VENDOR),
                    mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_TITLE),
                    mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_VERSION),
                    mainAttributes.getValue(Attributes.Name.IMPLEMENTATION_VENDOR),
                    sealBase);
        } catch (IllegalArgumentException definedMeanwhile) {
            // another thread defined it first: the same attributes
        }
    }

    private byte[] read(ZipEntry entry) throws IOException {
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IOException("bad size of " + entry.getName() + " in tlsguard's jar: " + size);
        }
        byte[] bytes = new byte[(int) size];
        try (InputStream in = jar.getInputStream(entry)) {
            int n = 0;
            while (n < bytes.length) {
                int read = in.read(bytes, n, bytes.length - n);
                if (read < 0) {
                    throw new IOException("tlsguard's jar ends early in " + entry.getName());
                }
                n += read;
            }
        }
        return bytes;
    }

    /** Byte Buddy reads the advice classes' files this way, and tlsguard the bootstrap runtime's: no URL made. */
    @Override
    public InputStream getResourceAsStream(String name) {
        Function<String, InputStream> viaOwnClass = platformResources;
        InputStream fromParent = viaOwnClass != null ? viaOwnClass.apply(name) : platform.getResourceAsStream(name);
        if (fromParent != null) {
            return fromParent;
        }
        ZipEntry entry = jar.getEntry(name);
        try {
            return entry == null ? null : jar.getInputStream(entry);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getEntry(name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + name);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null
                ? Collections.<URL>emptyEnumeration()
                : Collections.enumeration(Collections.singletonList(url));
    }
}
