package javax.tlsguardtest;

import javax.net.ssl.SSLSocket;

/**
 * A library's socket classes in a {@code javax.*} package, as JavaMail lives in {@code javax.mail}: a package name
 * says nothing about who defined a class (ClassFilterTest). Two levels below SSLSocket, as providers' sockets are.
 */
public final class LibrarySockets {
    private LibrarySockets() {}

    public abstract static class Base extends SSLSocket {}

    public abstract static class Socket extends Base {}
}
