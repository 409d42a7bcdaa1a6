package io.rapace.benchmarks.rpc;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rapace.benchmarks.harness.Children;
import io.rapace.benchmarks.rpc.api.Bench;
import io.rapace.benchmarks.rpc.api.BenchClient;
import io.rapace.benchmarks.rpc.api.BenchDispatcher;
import io.rapace.benchmarks.rpc.api.StreamRequest;
import io.rapace.grpc.RapaceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rapace over gRPC (docs/grpc.md): the generated benchmark client over {@code RapaceGrpc.channel} and its dispatcher
 * served by {@code RapaceGrpc.service}, over the same Netty transport as {@link GrpcRpc#netty()} (TCP loopback, the
 * server in an {@link RpcPeer} child), so the two rows compare the adapter with plain gRPC and a byte-array
 * marshaller. Handlers run on the adapter's handler pool, as a user's would.
 */
final class RapaceGrpcRpc implements RpcSystem {
    private Process child;
    private ManagedChannel channel;
    private Bench bench;

    @Override
    public String name() {
        return "rapace-grpc netty (tcp)";
    }

    @Override
    public String note() {
        return "rapace-grpc adapter on grpc-netty-shaded, TCP loopback, plaintext; compare with grpc netty (tcp)";
    }

    @Override
    public boolean concurrentUnary() {
        return true;
    }

    @Override
    public void start(Children children) throws Exception {
        child = children.spawn(RpcPeer.class, RpcBenchmark.PEER_FLAGS, "rapace-grpc");
        int port = Integer.parseInt(children.expect(child, "READY").split(" ")[2]);
        channel = Grpc.newChannelBuilderForAddress(InetAddress.getLoopbackAddress().getHostAddress(), port,
                InsecureChannelCredentials.create()).directExecutor().build();
        bench = new BenchClient(RapaceGrpc.channel(channel));
        unary(new byte[1]); // connects
    }

    @Override
    public byte[] unary(byte[] request) {
        return bench.echo(request);
    }

    @Override
    public long serverStream(int count, int size) {
        return RapaceRpc.bytes(bench.stream(new StreamRequest(count, size)));
    }

    @Override
    public long clientStream(int count, int size) {
        return bench.upload(RapaceRpc.elements(count, size));
    }

    @Override
    public long bidiStream(int count, int size) {
        return RapaceRpc.bytes(bench.echoes(RapaceRpc.elements(count, size)));
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.shutdownNow();
                channel.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (child != null) {
                Children.stop(child);
            }
        }
    }

    /** The peer: serves the benchmark service over gRPC on a free loopback port until the harness ends it. */
    static void serve(List<String> args) throws IOException, InterruptedException {
        Server s = RapaceGrpc.configure(NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create()))
                .directExecutor() // as the plain gRPC row's server: unary handlers run on the transport's thread
                .addService(RapaceGrpc.service(new BenchDispatcher(new RapaceRpc.Echoes())))
                .build()
                .start();
        RpcPeer.say("READY rapace-grpc " + s.getPort());
        s.awaitTermination();
    }
}
