package io.tlsguard.samples.contender;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test agent, started before tlsguard, whose transformer does to tlsguard's class loader what another agent's
 * can (OpenTelemetry's did, in the compatibility matrix). Whenever tlsguard's loader defines a class, on the
 * defining thread, which holds that class's loading lock:
 * <ol>
 * <li>another thread defines a new class, which runs every registered transformer, tlsguard's included, and this
 *     one waits for it: had tlsguard's transformer needed the class being defined, the other thread could not
 *     finish, a deadlock in a real JVM (here a wait of at most {@value #WAIT_SECONDS} s); had it needed any class
 *     of its own not loaded yet, that thread defines it, which is said at once: either is said on stderr as
 *     {@code CONTENDED};</li>
 * <li>it loads the class being defined (if it has a class file), on this thread, as a transformer that describes
 *     a class by loading it does: the loader must survive its own definition then being a duplicate.</li>
 * </ol>
 * At exit it says how many of tlsguard's classes it contended, so that a test knows it did its part.
 */
public final class ContendingAgent implements ClassFileTransformer {
    private static final String TLSGUARDS_LOADER = "io.tlsguard.agent.AgentClassLoader";
    private static final int WAIT_SECONDS = 5;

    private final ExecutorService other = Executors.newSingleThreadExecutor(new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "contender");
            t.setDaemon(true);
            contender = t;
            return t;
        }
    });
    private final FreshClasses fresh = new FreshClasses();
    private final AtomicInteger contended = new AtomicInteger();
    private final ThreadLocal<Set<String>> reloading = new ThreadLocal<Set<String>>() {
        @Override
        protected Set<String> initialValue() {
            return new HashSet<String>();
        }
    };
    private volatile boolean gaveUp;
    private volatile Thread contender;

    public static void premain(String options, Instrumentation instrumentation) {
        final ContendingAgent agent = new ContendingAgent();
        agent.defineOnAnotherThread("nothing yet"); // this agent's own classes loaded now, before tlsguard's exist
        instrumentation.addTransformer(agent);
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            @Override
            public void run() {
                System.err.println("contender: " + agent.contended.get() + " classes of tlsguard's loader contended");
            }
        }));
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
        if (loader == null
                || name == null
                || redefined != null
                || gaveUp
                || !loader.getClass().getName().equals(TLSGUARDS_LOADER)) {
            return null;
        }
        if (Thread.currentThread() == contender) {
            gaveUp = true; // tlsguard's transformer, answering for this agent's class, loaded one of its own
            System.err.println("CONTENDED: tlsguard's transformer loaded " + name + " while it answered for a class"
                    + " another thread defined; had that thread held " + name + "'s loading lock, both would hang");
            return null;
        }
        if (!reloading.get().add(name)) {
            return null; // loadAgain's own definition of it
        }
        try {
            contended.incrementAndGet();
            defineOnAnotherThread(name);
            loadAgain(loader, name);
        } finally {
            reloading.get().remove(name);
        }
        return null;
    }

    private void defineOnAnotherThread(String beingDefined) {
        Future<?> done = other.submit(new Runnable() {
            @Override
            public void run() {
                fresh.define();
            }
        });
        try {
            done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            gaveUp = true;
            System.err.println("CONTENDED: while this thread defined " + beingDefined + " in tlsguard's loader, a class"
                    + " defined on another thread did not get through the transformers in " + WAIT_SECONDS + " s: "
                    + e);
        }
    }

    private static void loadAgain(ClassLoader loader, String beingDefined) {
        if (loader.getResource(beingDefined + ".class") == null) {
            return; // made, not loaded (a JDK proxy): nothing to load by name
        }
        try {
            Class.forName(beingDefined.replace('/', '.'), false, loader);
        } catch (Throwable e) {
            System.err.println("CONTENDED: loading " + beingDefined + " again while it was defined: " + e);
        }
    }

    /** New classes, each in a loader of its own: the JVM runs every transformer for each. */
    private static final class FreshClasses {
        private final AtomicInteger count = new AtomicInteger();

        void define() {
            String name = "contender/Fresh" + count.incrementAndGet();
            new OneClassLoader().define(name.replace('/', '.'), emptyClass(name));
        }

        private static byte[] emptyClass(String internalName) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(0xCAFEBABE);
                out.writeShort(0);
                out.writeShort(52);
                out.writeShort(5);
                out.writeByte(1);
                out.writeUTF(internalName);
                out.writeByte(7);
                out.writeShort(1);
                out.writeByte(1);
                out.writeUTF("java/lang/Object");
                out.writeByte(7);
                out.writeShort(3);
                out.writeShort(0x0021);
                out.writeShort(2);
                out.writeShort(4);
                out.writeShort(0);
                out.writeShort(0);
                out.writeShort(0);
                out.writeShort(0);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            return bytes.toByteArray();
        }
    }

    private static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super(null);
        }

        void define(String name, byte[] classFile) {
            defineClass(name, classFile, 0, classFile.length);
        }
    }
}
