package io.rapace.samples.chat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rapace.grpc.RapaceGrpc;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.RpcStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The chat room of {@link ChatSample} between two JVMs over gRPC, with the same generated {@link ChatClient} and
 * {@link ChatDispatcher} as over shared memory ({@code docs/grpc.md}):
 *
 * <pre>
 * java -cp ... io.rapace.samples.chat.ChatOverGrpc server 50051      # prints PORT 50051, serves until its input ends
 * java -cp ... io.rapace.samples.chat.ChatOverGrpc client 127.0.0.1:50051
 * </pre>
 */
public final class ChatOverGrpc {
    private ChatOverGrpc() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            serve(Integer.parseInt(args[1]));
        } else if (args.length == 2 && args[0].equals("client")) {
            String[] hostPort = args[1].split(":", 2);
            talk(hostPort[0], Integer.parseInt(hostPort[1]));
        } else {
            System.err.println("usage: ChatOverGrpc server <port> | client <host>:<port>");
            System.exit(2);
        }
    }

    /** Serves a chat room (and the registry) on {@code port} of the loopback address (0: a free one). */
    static void serve(int port) throws Exception {
        Server server = RapaceGrpc.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)))
                .addService(RapaceGrpc.service(new ChatDispatcher(new ChatRoom())))
                .addService(RapaceGrpc.registry(ServiceRegistry.discover()))
                .build().start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until our input ends
        }
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Calls each of the room's four methods, as {@link ChatSample} does over the loopback, and prints the answers. */
    static void talk(String host, int port) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            Chat chat = new ChatClient(RapaceGrpc.channel(channel));
            System.out.println("post     -> " + chat.post(new ChatMessage("ada", "hello")) + " message(s) in the room");
            System.out.println("upload   -> " + chat.upload(RpcStream.of(
                    new ChatMessage("grace", "hi ada"), new ChatMessage("ada", "hi grace"))));
            for (ChatMessage message : chat.history(10)) {
                System.out.println("history  -> " + message.author() + ": " + message.text());
            }
            for (ChatMessage reply : chat.converse(RpcStream.of(new ChatMessage("linus", "anyone here?")))) {
                System.out.println("converse -> " + reply.text());
            }
            System.out.print(RapaceGrpc.fetchRegistry(channel, java.time.Duration.ofSeconds(10)).describe());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
