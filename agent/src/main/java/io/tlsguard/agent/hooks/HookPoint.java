package io.tlsguard.agent.hooks;

import java.util.ArrayList;
import java.util.List;

/**
 * One hooked method, as data: the class it is in, the method's name and shape, and the advice inlined
 * into it. The weaving matches methods against it, the transformer's name filter takes its class
 * names, and a test holds docs/how-it-works.md to {@link #documentedAs}. All of them are in
 * {@link HookTable}.
 *
 * <p>The shape is given as JVM descriptors, compared as strings: deciding whether a method is hooked
 * never describes or loads a type of its signature.
 */
public final class HookPoint {
    /** The owner standing for every implementation of SSLSocket, SSLServerSocket or SSLEngine (the JDK's and providers'). */
    public static final String SSL_IMPLEMENTATIONS = "(every socket, server socket and engine implementation)";
    /**
     * The owner standing for every socket, server socket and engine implementation outside the JDK (Bouncy
     * Castle's, netty-tcnative's, Conscrypt's...): hooks on methods a provider runs its handshakes through, which
     * the JDK's own implementations do not need (the hooks inside {@code sun.security.ssl} see their handshakes)
     * and would pay for on their data path.
     */
    public static final String PROVIDER_IMPLEMENTATIONS = "(every socket and engine implementation outside the JDK)";
    /** The method name of a constructor. */
    public static final String CONSTRUCTOR = "<init>";
    /** An argument of any type. */
    public static final String ANY = "?";
    /** Last in the arguments: any number of further arguments, of any type. */
    public static final String MORE = "...";
    /** Any return type. */
    static final String ANY_RETURN = null;

    private final String owner;
    private final String method;
    private final boolean isStatic;
    private final String[] arguments;
    private final String returns;
    private final String advice;
    private final String documentedAs;

    HookPoint(
            String owner,
            String method,
            boolean isStatic,
            String[] arguments,
            String returns,
            String advice,
            String documentedAs) {
        this.owner = owner;
        this.method = method;
        this.isStatic = isStatic;
        this.arguments = arguments.clone();
        this.returns = returns;
        this.advice = advice;
        this.documentedAs = documentedAs;
    }

    /** A class name, {@link #SSL_IMPLEMENTATIONS} or {@link #PROVIDER_IMPLEMENTATIONS}. */
    public String owner() {
        return owner;
    }

    /** On implementations of the JSSE types, found by superclass: not a class named by the table. */
    public boolean onSslImplementations() {
        return SSL_IMPLEMENTATIONS.equals(owner) || PROVIDER_IMPLEMENTATIONS.equals(owner);
    }

    /** Only on a provider's sockets and engines, never on the JDK's. */
    public boolean onProvidersOnly() {
        return PROVIDER_IMPLEMENTATIONS.equals(owner);
    }

    /** The method's name, or {@link #CONSTRUCTOR}. */
    public String method() {
        return method;
    }

    public boolean isConstructor() {
        return CONSTRUCTOR.equals(method);
    }

    /** Only a static method of that name and shape is hooked. */
    public boolean isStatic() {
        return isStatic;
    }

    /** The simple name of the advice class, in {@code io.tlsguard.agent.hooks.advice}. */
    public String advice() {
        return advice;
    }

    /** How docs/how-it-works.md names this hook (a test compares). */
    public String documentedAs() {
        return documentedAs;
    }

    /** Whether a method with this descriptor, e.g. {@code ([Ljava/lang/String;)V}, has the hooked shape. */
    public boolean acceptsDescriptor(String descriptor) {
        int close = descriptor.indexOf(')');
        if (close < 0
                || (returns != ANY_RETURN && !descriptor.substring(close + 1).equals(returns))) {
            return false;
        }
        List<String> actual = parameters(descriptor, close);
        boolean more = arguments.length > 0 && MORE.equals(arguments[arguments.length - 1]);
        int fixed = more ? arguments.length - 1 : arguments.length;
        if (more ? actual.size() < fixed : actual.size() != fixed) {
            return false;
        }
        for (int i = 0; i < fixed; i++) {
            if (!ANY.equals(arguments[i]) && !arguments[i].equals(actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> parameters(String descriptor, int close) {
        List<String> parameters = new ArrayList<>(4);
        int i = 1;
        while (i < close) {
            int start = i;
            while (descriptor.charAt(i) == '[') {
                i++;
            }
            if (descriptor.charAt(i) == 'L') {
                i = descriptor.indexOf(';', i);
            }
            i++;
            parameters.add(descriptor.substring(start, i));
        }
        return parameters;
    }

    @Override
    public String toString() {
        return owner + "." + method + " <- " + advice;
    }
}
