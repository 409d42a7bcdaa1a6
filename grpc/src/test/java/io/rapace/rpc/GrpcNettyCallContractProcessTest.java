package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rapace.grpc.RapaceGrpc;
import io.rapace.testing.ChildLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The call contract across two JVMs over gRPC's Netty transport on loopback: the peer is a
 * {@link GrpcContractServerMain} child, one per connection (the cases that leave it usable share one); this side
 * calls it through a plain Netty channel, with the maximum message size {@link RapaceGrpc} documents.
 */
class GrpcNettyCallContractProcessTest extends AbstractGrpcCallContractTest {
    @Override
    GrpcConnection connect() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                ChildLogs.JVM_ARG, GrpcContractServerMain.class.getName())).start();
        ChildLogs logs = ChildLogs.of("grpc contract child", child);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String port = out.readLine();
        assertNotNull(port, "the child ended before it said its port");
        assertTrue(port.startsWith("PORT "), port);
        ManagedChannel managed = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(port.substring(5)))
                .usePlaintext().maxInboundMessageSize(RapaceGrpc.MAX_MESSAGE_SIZE).build();
        return new ChildConnection(managed, child, logs);
    }

    /** A channel to one child, whose warnings {@code logs} reads. */
    static final class ChildConnection extends GrpcConnection {
        final Process child;
        final ChildLogs logs;

        ChildConnection(ManagedChannel managed, Process child, ChildLogs logs) {
            super(managed);
            this.child = child;
            this.logs = logs;
        }

        @Override
        public void killPeer() throws Exception {
            child.destroyForcibly();
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not die");
        }

        @Override
        void end() throws Exception {
            managed.shutdownNow();
            child.getOutputStream().close(); // the child ends when its input closes
            if (!child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not exit");
            assertTrue(managed.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS), "the channel did not end");
            logs.close();
        }
    }

    /** The shared child's warnings, which it writes one to a line on its stderr. */
    @Override
    String peerWarning(String text) throws Exception {
        return ((ChildConnection) shared()).logs.expect(text);
    }
}
