package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.grpc.RapaceGrpc;
import java.util.concurrent.TimeUnit;

/**
 * The call contract over gRPC's in-process transport: the peer is a gRPC server of this JVM (its warnings are this
 * JVM's), one per connection.
 */
class GrpcInProcessCallContractTest extends AbstractGrpcCallContractTest {
    @Override
    GrpcConnection connect() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = RapaceGrpc.configure(InProcessServerBuilder.forName(name))
                .addService(RapaceGrpc.service(new Probe()))
                .addService(RapaceGrpc.service(new CalculatorDispatcher(new Arithmetic())))
                .addService(RapaceGrpc.registry(servedRegistry()))
                .build().start();
        ManagedChannel managed = InProcessChannelBuilder.forName(name).build();
        return new GrpcConnection(managed) {
            /** The server ends at once, its calls with it. */
            @Override
            public void killPeer() throws Exception {
                server.shutdownNow();
                assertTrue(server.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS), "the server did not end");
            }

            @Override
            void end() throws Exception {
                managed.shutdownNow();
                server.shutdownNow();
                assertTrue(managed.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS), "the channel did not end");
                assertTrue(server.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS), "the server did not end");
            }
        };
    }

    @Override
    String peerWarning(String text) {
        return logs.expect(System.Logger.Level.WARNING, text);
    }

    /**
     * In-process, gRPC's flow control counts messages, not bytes: a stalled reader holds its producer once the
     * messages its side took in ahead are sent.
     */
    @Override
    long mostSentAheadOfAStalledReader() {
        return PREFETCH + 2;
    }
}
