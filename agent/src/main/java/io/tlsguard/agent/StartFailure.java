package io.tlsguard.agent;

/**
 * What tlsguard says, and does, when it cannot start: one line naming the problem, then at startup
 * enforce and deny fail closed (the JVM stops rather than run without the protection it was started
 * with), report mode goes on unguarded, and a dynamic attach never stops a live program. The one wording,
 * used by the trampoline ({@link TlsGuardAgent}, when the runtime cannot even be reached) and by
 * {@link AgentStart}.
 *
 * <p>Mentions no other agent class: the trampoline loads it with the system class loader.
 */
final class StartFailure {
    private StartFailure() {}

    /**
     * @param remedy when there is one, ends the line (a policy entry to copy as it is); else null
     * @param failsClosed the options ask for enforce or deny
     */
    static void say(String problem, String remedy, boolean dynamic, boolean failsClosed) {
        String then = remedy == null ? "" : "; " + remedy;
        if (dynamic) {
            System.err.println("tlsguard: " + problem + "; tlsguard did not change anything" + then);
        } else if (failsClosed) {
            System.err.println("tlsguard: " + problem + "; stopping the JVM because enforce/deny fail closed" + then);
            System.err.flush();
            Runtime.getRuntime().halt(1); // a class path entry holds exitVM whatever the policy says
        } else {
            System.err.println("tlsguard: " + problem
                    + "; tlsguard is not running (report mode: the program runs unguarded)" + then);
        }
    }
}
