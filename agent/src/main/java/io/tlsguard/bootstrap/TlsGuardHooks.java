package io.tlsguard.bootstrap;

/**
 * The bootstrap runtime: the only class that advice inlined into JDK classes calls. It lives on the
 * bootstrap class path (so {@code java.base} code can see it), depends on nothing but {@code java.lang},
 * and forwards to the agent's {@link HookHandler} when one is installed. With no handler (before start,
 * after detach) every hook is a no-op returning "leave the call alone".
 *
 * <p>Every method catches {@link Throwable}: advice also suppresses, but a hook must never be the reason
 * a host's TLS call fails, except by returning a deliberate denial.
 */
public final class TlsGuardHooks {
    /**
     * Asked of whoever installs or removes the handler when a security manager is installed: the agent
     * holds it (AllPermission), the application's sandboxed code does not, so it cannot switch tlsguard off
     * or put its own handler in. Without a security manager all code is trusted alike (it could reflect).
     */
    private static final RuntimePermission INSTALL = new RuntimePermission("io.tlsguard.installHooks");

    /** Never handed out: a handler in the hands of application code would decide for tlsguard. */
    private static volatile HookHandler handler;

    private TlsGuardHooks() {}

    /** Installs (or, with null, removes) the handler; for the agent only (see {@link #INSTALL}). */
    @SuppressWarnings("removal")
    public static void install(HookHandler newHandler) {
        SecurityManager security = System.getSecurityManager();
        if (security != null) {
            security.checkPermission(INSTALL);
        }
        handler = newHandler;
    }

    /** Whether a handler is installed (tlsguard runs in this JVM). */
    public static boolean installed() {
        return handler != null;
    }

    /**
     * The report's counters now, {@code {written, dropped}} (what status reports), in a new array; null
     * when tlsguard does not run in this JVM or writes no report. Read-only: the one thing of the handler
     * that is handed out, for the benchmarks and monitoring inside the JVM; it can change nothing.
     */
    public static long[] reportCounters() {
        HookHandler h = handler;
        if (h == null) {
            return null;
        }
        try {
            return h.reportCounters();
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static Object contextProtocol(String protocol) {
        HookHandler h = handler;
        if (h == null || protocol == null) {
            return null;
        }
        try {
            return h.contextProtocol(protocol);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static Object protocols(Object target, String[] protocols, String method) {
        HookHandler h = handler;
        if (h == null || protocols == null) {
            return null;
        }
        try {
            return h.protocols(target, protocols, method);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static Object parameters(Object target, Object parameters) {
        HookHandler h = handler;
        if (h == null || parameters == null) {
            return null;
        }
        try {
            return h.parameters(target, parameters);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static void applyProtocols(Object target, String[] protocols) {
        HookHandler h = handler;
        if (h != null) {
            try {
                h.applyProtocols(target, protocols);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void contextCreated(Object context) {
        HookHandler h = handler;
        if (h != null) {
            try {
                h.contextCreated(context);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void closingOutbound(Object transportContext) {
        HookHandler h = handler;
        if (h != null && transportContext != null) {
            try {
                h.closingOutbound(transportContext);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void accepted(Object serverSocket, Object socket) {
        HookHandler h = handler;
        if (h != null && socket != null) {
            try {
                h.accepted(serverSocket, socket);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void handshakeStarting(Object transportContext) {
        HookHandler h = handler;
        if (h != null && transportContext != null) {
            try {
                h.handshakeStarting(transportContext);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void handshakeFinished(Object transportContext) {
        HookHandler h = handler;
        if (h != null) {
            try {
                h.handshakeFinished(transportContext);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void engineResult(Object engine, Object result, Throwable thrown) {
        HookHandler h = handler;
        if (h != null) {
            try {
                h.engineResult(engine, result, thrown);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void fatal(Object transportContext, Object alert, String diagnostic, Throwable cause) {
        HookHandler h = handler;
        if (h != null) {
            try {
                h.fatal(transportContext, alert, diagnostic, cause);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void providerHandshakeStarting(Object endpoint) {
        HookHandler h = handler;
        if (h != null && endpoint != null) {
            try {
                h.providerHandshakeStarting(endpoint);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void providerHandshakeFailed(Object endpoint, Throwable thrown) {
        HookHandler h = handler;
        if (h != null && endpoint != null && thrown != null) {
            try {
                h.providerHandshakeFailed(endpoint, thrown);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static void providerHandshakeFinished(Object endpoint) {
        HookHandler h = handler;
        if (h != null && endpoint != null) {
            try {
                h.providerHandshakeFinished(endpoint);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }

    public static Object libraryProtocols(String[] protocols) {
        HookHandler h = handler;
        if (h == null || protocols == null) {
            return null;
        }
        try {
            return h.libraryProtocols(protocols);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static void libraryRefused(Object socket, Throwable thrown) {
        HookHandler h = handler;
        if (h != null && socket != null && thrown != null) {
            try {
                h.libraryRefused(socket, thrown);
            } catch (Throwable ignored) {
                // never the host's problem
            }
        }
    }
}
