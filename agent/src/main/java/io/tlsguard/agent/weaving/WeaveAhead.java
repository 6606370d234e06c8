package io.tlsguard.agent.weaving;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * At startup, the hooked JDK class that a TLS program loads first ({@code SSLContext}) is made ready on a daemon
 * thread before the host loads it: its class file is read as a resource (the very bytes the JVM will pass to the
 * transformer), taken from the {@link TransformCache} or woven and stored there. On a first start (a cold cache:
 * Byte Buddy loads and runs cold, a few hundred milliseconds) that work then runs beside the application's own
 * start, on another core, instead of inside its first {@code SSLContext.getInstance}; a warm start moves its
 * cache read (the cache's checks, its key, the agent jar's checksum) off the host's thread the same way.
 *
 * <p>The transformer {@link #take}s the class: ready, it is used if its original is byte for byte the class
 * file being loaded (else it is woven as always); in progress, it is waited for (bounded: past
 * {@link #WAIT_SECONDS} the loading thread weaves it itself); not begun, the loading thread does it itself.
 * So nothing is ever hooked differently than without this class, and nothing waits on a thread that
 * cannot finish. Only at startup (at attach the hooked classes are loaded already), and only with a transform
 * cache: without one, every start of a program that never uses TLS would pay for Byte Buddy.
 */
final class WeaveAhead {
    /**
     * What is made ready ahead: {@code SSLContext}, what every TLS program loads first and what carries Byte Buddy's
     * own cold start; the others, woven on demand, then find Byte Buddy ready. Weaving them ahead too would cost a
     * program that never gets to them CPU on its start (docs/performance.md).
     */
    private static final List<String> AHEAD = Collections.singletonList("javax.net.ssl.SSLContext");

    /** Far above a cold weave (~0.3 s); reached only if this thread cannot run at all. */
    private static final long WAIT_SECONDS = 10;

    /** A class file as read, and as the transformer must return it ({@code transformed} null: nothing is hooked). */
    static final class Ready {
        final byte[] original;
        final byte[] transformed;

        Ready(byte[] original, byte[] transformed) {
            this.original = original;
            this.transformed = transformed;
        }
    }

    /** The work by class name; taken (the host loaded the class), it is removed, and its class files with it. */
    private final Map<String, FutureTask<Ready>> work = new ConcurrentHashMap<>();

    private final Thread thread;

    private WeaveAhead(final HookTransformer transformer, final TransformCache cache) {
        final List<FutureTask<Ready>> order = new ArrayList<>();
        for (String className : AHEAD) {
            final String internalName = className.replace('.', '/');
            FutureTask<Ready> task = new FutureTask<>(
                    new Callable<Ready>() { // not a lambda: see ReportWriter
                        @Override
                        public Ready call() throws IOException {
                            if (!cache.isOn()) { // nothing would be kept: every start would pay for Byte Buddy
                                throw new IOException("no transform cache");
                            }
                            byte[] original = ClassFiles.ofJdkClass(internalName);
                            return new Ready(original, transformer.cachedOrWoven(null, internalName, original));
                        }
                    });
            order.add(task);
            work.put(internalName, task);
        }
        thread = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        for (FutureTask<Ready> task : order) {
                            task.run(); // a no-op for a class the loading thread took first
                        }
                    }
                },
                "tlsguard-weave-ahead");
        thread.setDaemon(true);
    }

    /** Started with the transformer, before it is registered: the thread's head start is the rest of premain. */
    static WeaveAhead start(HookTransformer transformer, TransformCache cache) {
        WeaveAhead ahead = new WeaveAhead(transformer, cache);
        ahead.thread.start();
        return ahead;
    }

    /** Stops the work not yet begun (tlsguard did not start after all, or is detached). */
    void cancel() {
        for (FutureTask<Ready> task : work.values()) {
            task.cancel(false);
        }
    }

    /**
     * For the transformer, about a JDK class being loaded: {@code null} when this class does not answer
     * (never made ready, or from another original: the caller goes on as without it), else what to return.
     */
    Ready take(String internalName, byte[] classFile) {
        FutureTask<Ready> task = work.remove(internalName);
        if (task == null || Thread.currentThread() == thread) {
            return null;
        }
        if (task.cancel(false)) {
            if (Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: " + internalName.replace('/', '.') + " loaded before it was made ready");
            }
            return null; // not begun: the loading thread, already here, does it as always
        }
        try {
            Ready ready = task.get(WAIT_SECONDS, TimeUnit.SECONDS);
            boolean same = Arrays.equals(ready.original, classFile);
            if (Boolean.getBoolean("tlsguard.debug")) {
                System.err.println("tlsguard: " + internalName.replace('/', '.') + " made ready ahead"
                        + (same ? "" : ", but the JVM loads another class file: woven again"));
            }
            return same ? ready : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null;
        }
    }
}
