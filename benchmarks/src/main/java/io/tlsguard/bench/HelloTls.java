package io.tlsguard.bench;

import javax.net.ssl.SSLContext;

/** The startup workload: a hello world that creates (and initialises) one SSLContext. */
public final class HelloTls {
    public static void main(String[] args) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        System.out.println("hello " + ctx.getProtocol());
    }
}
