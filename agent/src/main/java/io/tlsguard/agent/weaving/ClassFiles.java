package io.tlsguard.agent.weaving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading class files as resources (the bootstrap runtime's, a provider's superclasses'). */
final class ClassFiles {
    private ClassFiles() {}

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
