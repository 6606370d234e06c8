package io.tlsguard.agent.weaving;

import java.nio.charset.StandardCharsets;

/**
 * Where each constant of a class file's constant pool starts, found in one walk without decoding
 * anything: enough to read a class's own name, its superclass or the classes it refers to, straight
 * from its bytes (Byte Buddy would parse all of it, and must not be loaded for that).
 */
final class ConstantPool {
    static final int UTF8 = 1;
    static final int CLASS = 7;

    private final byte[] b;
    /** For each index, the offset of its tag byte (0 for the unused slot after a long or double). */
    private final int[] offsets;
    /** The offset just past the pool: the class's access flags. */
    final int end;

    private ConstantPool(byte[] b, int[] offsets, int end) {
        this.b = b;
        this.offsets = offsets;
        this.end = end;
    }

    /** @return null when the bytes are not a class file this reader understands (or are cut short) */
    static ConstantPool read(byte[] b) {
        try {
            if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
                return null;
            }
            int count = u2(b, 8);
            int[] offsets = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                offsets[i] = at;
                switch (b[at] & 0xFF) {
                    case 1:
                        at += 3 + u2(b, at + 1);
                        break; // Utf8
                    case 5:
                    case 6:
                        at += 9;
                        i++;
                        break; // Long, Double take two slots
                    case 3:
                    case 4:
                    case 9:
                    case 10:
                    case 11:
                    case 12: // Integer .. NameAndType
                    case 17:
                    case 18:
                        at += 5;
                        break; // Dynamic, InvokeDynamic
                    case 7:
                    case 8:
                    case 16:
                    case 19:
                    case 20:
                        at += 3;
                        break; // Class, String, MethodType, Module, Package
                    case 15:
                        at += 4;
                        break; // MethodHandle
                    default:
                        return null;
                }
            }
            if (at + 8 > b.length) {
                return null; // no room for access flags, this class, superclass and the interface count
            }
            return new ConstantPool(b, offsets, at);
        } catch (RuntimeException cutShort) {
            return null;
        }
    }

    int size() {
        return offsets.length;
    }

    /** The tag of constant {@code index}, or 0 when there is none there. */
    int tag(int index) {
        return index > 0 && index < offsets.length && offsets[index] != 0 ? b[offsets[index]] & 0xFF : 0;
    }

    /** The Utf8 constant at {@code index}; null when it is not one. */
    String utf8(int index) {
        if (tag(index) != UTF8) {
            return null;
        }
        int at = offsets[index];
        return new String(b, at + 3, u2(b, at + 1), StandardCharsets.UTF_8); // internal names are ASCII in practice
    }

    /** The name a Class constant at {@code index} refers to; null when it is not one. */
    String className(int index) {
        return tag(index) == CLASS ? utf8(u2(b, offsets[index] + 1)) : null;
    }

    /** The unsigned 16-bit value at {@code at}, e.g. {@code u2(end)} for the access flags. */
    int u2(int at) {
        return u2(b, at);
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return u2(b, at) << 16 | u2(b, at + 2);
    }
}
