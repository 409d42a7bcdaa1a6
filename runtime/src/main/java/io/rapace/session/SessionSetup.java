package io.rapace.session;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.shm.PeerRole;
import io.rapace.shm.Segment;
import io.rapace.shm.SendTimeoutException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Setting up a {@link Session}: the host's {@link Session#listen} (segment and listening socket, then an
 * {@link Acceptor} waits for the plugin), the plugin's {@link Session#connect}, and, for both, the start: the
 * session's threads, this side's {@link Hello} out, the peer's awaited (the reader checks it on arrival, in
 * {@link Inbound}).
 */
final class SessionSetup {
    private SessionSetup() {
    }

    /** The body of {@link Session#listen}. */
    static Session.Listening listen(SessionConfig config) throws IOException {
        Segment.checkDirectory(config.directory());
        Segment.removeStale(config.directory());
        Segment segment = Segment.create(config.directory(), config.geometry());
        Path socketPath = config.directory().resolve(Segment.newFileName(".sock"));
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
            // the socket file is this process's own: its owner is the user a plugin must run as
            return new Session.Listening(new Acceptor(config, segment, server, socketPath, Files.getOwner(socketPath)));
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socketPath);
            segment.close();
            segment.unlink();
            throw new SessionException("cannot listen on " + socketPath + ": " + e.getMessage(), e);
        }
    }

    /** The body of {@link Session#connect}. */
    static Session connect(Path segmentPath, Path socketPath, SessionConfig config, SessionListener listener)
            throws IOException {
        Segment segment = Segment.attach(segmentPath);
        SocketChannel toPlugin = null;
        SocketChannel toHost = null;
        try {
            // Two connections, in this order: the host's wake-ups to us, then ours to the host.
            toPlugin = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
            toHost = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException | RuntimeException e) {
            closeQuietly(toPlugin);
            segment.close();
            throw new SessionException("cannot connect to the host's socket " + socketPath + ": " + e, e);
        }
        // Both names can go now: the segment is mapped and the connections made.
        Files.deleteIfExists(socketPath);
        segment.unlink();
        return start(PeerRole.PEER_B, config, segment, new SocketDoorbell(toPlugin, toHost), listener);
    }

    static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // giving up anyway
            }
        }
    }

    /** Starts the session's threads, sends this side's Hello and waits for the peer's; on failure the session ends. */
    static Session start(PeerRole role, SessionConfig config, Segment segment, Doorbell doorbell,
            SessionListener listener) throws SessionException {
        Session s = new Session(role, config, segment, doorbell, listener);
        s.startThreads();
        long features = config.frameChecksums() ? Hello.FEATURE_FRAME_CHECKSUMS : 0;
        Hello mine = new Hello(Hello.PROTOCOL_MAJOR, Hello.PROTOCOL_MINOR, role, features, config.maxMessageSize(),
                config.peerId(), ProcessHandle.current().pid(), config.methods(), config.fingerprints());
        try {
            s.channelZero().send(ControlVerb.HELLO, mine::encode, config.handshakeTimeout());
            s.peerHelloFuture().get(config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return s;
        } catch (SendTimeoutException e) {
            s.end(CloseCause.PROTOCOL_VIOLATION, "the peer does not consume: " + e.getMessage());
            throw new SessionException("handshake failed: could not send Hello: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            s.end(CloseCause.PROTOCOL_VIOLATION, "no Hello from the peer within " + config.handshakeTimeout());
            throw new SessionException("handshake failed: no Hello from the peer within "
                    + config.handshakeTimeout().toMillis() + " ms");
        } catch (ExecutionException | IllegalStateException e) {
            s.awaitClosed(Duration.ofSeconds(5));
            throw new SessionException("handshake failed: " + s.closeDetail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.end(CloseCause.LOCAL_CLOSE, "interrupted during the handshake");
            throw new SessionException("interrupted during the handshake", e);
        }
    }
}
