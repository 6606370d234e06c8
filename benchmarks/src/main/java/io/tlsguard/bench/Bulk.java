package io.tlsguard.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;

/**
 * Bulk data client to server through an established in-memory SSLEngine pair (TLS 1.3 and 1.2), 16 KiB of
 * application data per record. Prints MiB/s of application data, measured after a warm-up.
 *
 * <p>args: warmup_ms=N measure_ms=N
 */
public final class Bulk {
    public static void main(String[] args) throws Exception {
        long warmup = Tls.arg(args, "warmup_ms", 1500);
        long measure = Tls.arg(args, "measure_ms", 2000);
        SSLContext ctx = Tls.context();
        double tls13 = 0;
        double tls12 = 0;
        for (int round = 0; round < 2; round++) {
            long ms = round == 0 ? warmup : measure;
            tls13 = run(ctx, "TLSv1.3", ms / 2);
            tls12 = run(ctx, "TLSv1.2", ms / 2);
        }
        Tls.result("mib_s_tls13", tls13, "mib_s_tls12", tls12);
    }

    static double run(SSLContext ctx, String protocol, long ms) throws Exception {
        Tls.Pair pair = new Tls.Pair(ctx, protocol, "127.0.0.1", 8443);
        pair.handshake();
        ByteBuffer data = ByteBuffer.allocate(16384);
        for (int i = 0; i < data.capacity(); i++) {
            data.put(i, (byte) i);
        }
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + ms * 1_000_000L;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                bytes += pair.send(data);
            }
        } while ((now = System.nanoTime()) < end);
        return bytes / (1024.0 * 1024.0) / ((now - start) / 1e9);
    }
}
