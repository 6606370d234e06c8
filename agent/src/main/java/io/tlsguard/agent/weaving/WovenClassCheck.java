package io.tlsguard.agent.weaving;

/**
 * A cheap look at transformed bytes before they go back to the JVM as a JDK class: a class file this
 * reader can walk, of the class that was asked for, that calls tlsguard's bootstrap runtime. The MAC of
 * a cache entry says tlsguard wrote it; this says that what tlsguard wrote is a hooked class, so neither
 * the unhooked original nor garbage from a bad write can be defined in its place, whatever vouches for it.
 */
final class WovenClassCheck {
    /** The one class that advice inlined into JDK classes may call (the bootstrap runtime). */
    static final String HOOKS = "io/tlsguard/bootstrap/TlsGuardHooks";

    private WovenClassCheck() {}

    static boolean isHooked(String internalName, byte[] classFile) {
        ConstantPool pool = ConstantPool.read(classFile);
        if (pool == null || !internalName.equals(pool.className(pool.u2(pool.end + 2)))) {
            return false;
        }
        for (int i = 1; i < pool.size(); i++) {
            if (pool.tag(i) == ConstantPool.CLASS && HOOKS.equals(pool.className(i))) {
                return true;
            }
        }
        return false;
    }
}
