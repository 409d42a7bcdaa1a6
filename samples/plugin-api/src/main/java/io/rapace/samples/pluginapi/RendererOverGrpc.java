package io.rapace.samples.pluginapi;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rapace.grpc.RapaceGrpc;
import io.rapace.registry.ServiceRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The text renderer beyond one machine: the same {@link RendererDispatcher} served over gRPC instead of by a plugin
 * process, with its fonts looked up locally, and the registry beside it (so a caller built against another version
 * of {@link Renderer} is told which type differs). {@code docs/grpc.md}:
 *
 * <pre>
 * java -cp ... io.rapace.samples.pluginapi.RendererOverGrpc 50051   # prints PORT 50051, serves until its input ends
 * </pre>
 *
 * A caller uses the same {@link RendererClient}: {@code new RendererClient(RapaceGrpc.channel(managedChannel))}.
 */
public final class RendererOverGrpc {
    private RendererOverGrpc() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: RendererOverGrpc <port, 0 for a free one>");
            System.exit(2);
        }
        Server server = RapaceGrpc.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1",
                        Integer.parseInt(args[0]))))
                .addService(RapaceGrpc.service(new RendererDispatcher(new TextRendererPlugin(new FontTable()))))
                .addService(RapaceGrpc.registry(ServiceRegistry.discover()))
                .build().start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until our input ends
        }
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
}
