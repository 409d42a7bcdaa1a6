package io.rapace.rpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.grpc.RapaceGrpc;
import java.net.InetSocketAddress;

/**
 * The peer JVM of {@link GrpcNettyCallContractProcessTest}: serves the Probe, the calculator and its registry over
 * Netty on a free loopback port, prints {@code PORT <port>}, and runs until killed or its standard input closes.
 */
public final class GrpcContractServerMain {
    private GrpcContractServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Server server = RapaceGrpc.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .addService(RapaceGrpc.service(new Probe()))
                .addService(RapaceGrpc.service(new CalculatorDispatcher(new Arithmetic())))
                .addService(RapaceGrpc.registry(AbstractGrpcCallContractTest.servedRegistry()))
                .build().start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
        server.shutdownNow().awaitTermination();
    }
}
