package io.tlsguard.samples.jsse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Delegates to a real factory and remembers the last socket, so the program can print what it negotiated. */
final class RecordingSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    volatile SSLSocket last;

    RecordingSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private Socket record(Socket socket) {
        last = (SSLSocket) socket;
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return record(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return record(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return record(delegate.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return record(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
        return record(delegate.createSocket(address, port, local, localPort));
    }

    @Override
    public Socket createSocket() throws IOException {
        return record(delegate.createSocket());
    }
}
