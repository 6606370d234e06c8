package io.tlsguard.agent.weaving;

/**
 * The two facts tlsguard needs about a class file it may hook, read straight from its bytes: whether
 * it is an interface and the internal name of its superclass. Reading them walks the constant pool
 * once and decodes one string, where describing the class with Byte Buddy would parse all of it (and
 * load Byte Buddy into a JVM that may never use TLS).
 */
final class ClassHeader {
    private static final int ACC_INTERFACE = 0x0200;

    final boolean isInterface;
    /** e.g. {@code javax/net/ssl/SSLSocket}; null for java.lang.Object (or a module-info). */
    final String superName;

    private ClassHeader(boolean isInterface, String superName) {
        this.isInterface = isInterface;
        this.superName = superName;
    }

    /** @return null when the bytes are not a class file this parser understands */
    static ClassHeader read(byte[] b) {
        ConstantPool pool = ConstantPool.read(b);
        if (pool == null) {
            return null;
        }
        boolean isInterface = (pool.u2(pool.end) & ACC_INTERFACE) != 0;
        int superIndex = pool.u2(pool.end + 4);
        if (superIndex == 0) {
            return new ClassHeader(isInterface, null);
        }
        String superName = pool.className(superIndex);
        return superName == null ? null : new ClassHeader(isInterface, superName);
    }
}
