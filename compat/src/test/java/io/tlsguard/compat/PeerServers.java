package io.tlsguard.compat;

import io.tlsguard.testsupport.Artifacts;
import io.tlsguard.testsupport.Jdks;
import io.tlsguard.testsupport.Jvm;
import io.tlsguard.testsupport.LiveProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The peers the client rows talk to, on 127.0.0.1, started once for the whole matrix: on JDK 17 with the legacy
 * override, so that they accept TLS 1.0 to 1.3 and the client alone decides what is negotiated.
 */
final class PeerServers implements AutoCloseable {
    private final Map<App.Peer, LiveProcess> processes = new EnumMap<>(App.Peer.class);
    private final Map<App.Peer, Integer> ports = new EnumMap<>(App.Peer.class);

    static PeerServers start(Path logs) throws IOException, InterruptedException {
        PeerServers peers = new PeerServers();
        try {
            peers.start(App.Peer.HTTP, logs, "jsse-legacy", "server", "0", "socket", "none");
            peers.start(App.Peer.SMTP, logs, "compat-peers", "smtp", "0");
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            peers.close();
            throw e;
        }
        return peers;
    }

    private void start(App.Peer peer, Path logs, String module, String... args)
            throws IOException, InterruptedException {
        Jvm jvm = Jvm.on(Jdks.get("jdk17"))
                .legacySecurity()
                .args("-jar", Artifacts.sampleApp(module).toString())
                .args(args);
        LiveProcess process = jvm.start(logs.resolve("peer-" + peer + ".err"));
        processes.put(peer, process);
        String listening =
                process.await(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60), "LISTENING (peer " + peer + ")");
        ports.put(
                peer,
                Integer.parseInt(listening.substring("LISTENING ".length()).trim()));
    }

    int port(App.Peer peer) {
        Integer port = ports.get(peer);
        if (port == null) {
            throw new IllegalArgumentException("no peer " + peer);
        }
        return port;
    }

    @Override
    public void close() {
        processes.values().forEach(LiveProcess::close);
    }
}
