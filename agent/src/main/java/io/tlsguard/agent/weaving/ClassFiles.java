package io.tlsguard.agent.weaving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading class files as resources (the bootstrap runtime's, a provider's superclasses', the hooked JDK classes'). */
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
}
