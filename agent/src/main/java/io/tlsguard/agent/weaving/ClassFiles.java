package io.tlsguard.agent.weaving;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reading class files as resources (the bootstrap runtime's, a provider's superclasses', the hooked JDK classes'),
 * and the one class file tlsguard makes itself: an empty class, for the transformer's warm-up.
 */
final class ClassFiles {
    private ClassFiles() {}

    /** The class file the JVM loads for a JDK class: on 9+ from the runtime image, on 8 from rt.jar. */
    static byte[] ofJdkClass(String internalName) throws IOException {
        InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class");
        if (in == null) {
            throw new IOException("no class file for " + internalName);
        }
        try {
            return readAll(in);
        } finally {
            in.close();
        }
    }

    /** The rest of a stream, e.g. a class file read as a resource. */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The smallest class file of a class {@code internalName} extending {@code superName}: no field, no method
     * (Java 8's format). Never defined: the transformer reads it as it reads every class that loads.
     */
    static byte[] emptyClass(String internalName, String superName) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0); // minor version
            out.writeShort(52); // Java 8
            out.writeShort(5); // constant pool: #1 to #4
            out.writeByte(1); // #1 Utf8: the name
            out.writeUTF(internalName);
            out.writeByte(7); // #2 Class #1
            out.writeShort(1);
            out.writeByte(1); // #3 Utf8: the superclass's name
            out.writeUTF(superName);
            out.writeByte(7); // #4 Class #3
            out.writeShort(3);
            out.writeShort(0x0021); // public, super
            out.writeShort(2); // this class
            out.writeShort(4); // superclass
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(0); // methods
            out.writeShort(0); // attributes
        } catch (IOException impossible) { // a ByteArrayOutputStream does not fail
            throw new IllegalStateException(impossible);
        }
        return bytes.toByteArray();
    }
}
