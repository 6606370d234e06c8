package io.tlsguard.agent;

import java.nio.charset.StandardCharsets;

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
        try {
            if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
                return null;
            }
            int count = u2(b, 8);
            int[] offsets = new int[count]; // where each constant's payload starts
            int at = 10;
            for (int i = 1; i < count; i++) {
                int tag = b[at] & 0xFF;
                offsets[i] = at + 1;
                switch (tag) {
                    case 1: at += 3 + u2(b, at + 1); break;              // Utf8
                    case 5: case 6: at += 9; i++; break;                // Long, Double take two slots
                    case 3: case 4: case 9: case 10: case 11: case 12:  // Integer .. NameAndType
                    case 17: case 18: at += 5; break;                   // Dynamic, InvokeDynamic
                    case 7: case 8: case 16: case 19: case 20: at += 3; break; // Class, String, MethodType, Module, Package
                    case 15: at += 4; break;                            // MethodHandle
                    default: return null;
                }
            }
            int access = u2(b, at);
            int superIndex = u2(b, at + 4);
            if (superIndex == 0) {
                return new ClassHeader((access & ACC_INTERFACE) != 0, null);
            }
            int utf8 = offsets[u2(b, offsets[superIndex])];
            String superName = new String(b, utf8 + 2, u2(b, utf8), StandardCharsets.UTF_8); // internal names are ASCII in practice
            return new ClassHeader((access & ACC_INTERFACE) != 0, superName);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return u2(b, at) << 16 | u2(b, at + 2);
    }
}
