package io.rapace.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.registry.ServiceRegistry;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The server JVM of {@link RapaceGrpcNettyProcessTest}: serves the calculator and its registry over Netty on a free
 * loopback port, prints {@code PORT <port>}, and runs until killed or its standard input closes.
 */
public final class GrpcServerMain {
    private GrpcServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Server server = RapaceGrpc.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .addService(RapaceGrpc.service(new CalculatorDispatcher(
                        new RapaceGrpcInProcessTest.KeyedArithmetic())))
                .addService(RapaceGrpc.registry(ServiceRegistry.of(List.of(new CalculatorDescriptor()))))
                .build().start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
        server.shutdownNow().awaitTermination();
    }
}
