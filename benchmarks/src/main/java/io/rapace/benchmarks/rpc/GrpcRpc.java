package io.rapace.benchmarks.rpc;

import io.grpc.CallOptions;
import io.grpc.Drainable;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.rapace.benchmarks.harness.Children;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * gRPC-java without generated code: the four methods of service {@value #SERVICE} (one per call shape) are
 * {@link MethodDescriptor}s built by hand with a {@code byte[]} marshaller, called through {@link ClientCalls} (what
 * generated stubs call) and served through {@link ServerCalls}. Two transports: Netty over TCP loopback with the
 * server in an {@link RpcPeer} child ({@link #netty()}), and the in-process transport with client and server in this
 * JVM ({@link #inProcess()}). Both run handlers and client callbacks on the transport's threads
 * ({@code directExecutor}); a unary call blocks the calling thread (the stub's blocking call); every stream is sent
 * as fast as the call's flow control allows ({@code isReady} and the on-ready handler), and the bidi echo asks for
 * the next request only while it can send (gRPC's manual flow-control pattern).
 */
final class GrpcRpc implements RpcSystem {
    static final String SERVICE = "rapace.bench.Echo";
    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();
    /** Request: count and size (big-endian ints); response: {@code count} messages of {@code size} bytes. */
    static final MethodDescriptor<byte[], byte[]> STREAM = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Stream"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    /** Requests: elements of any size; response: the number of bytes received (a big-endian long). */
    static final MethodDescriptor<byte[], byte[]> UPLOAD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Upload"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();
    /** Each request answered with the same bytes. */
    static final MethodDescriptor<byte[], byte[]> ECHOES = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echoes"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    private final boolean inProcess;
    private Process child;
    private Server server;
    private ManagedChannel channel;

    private GrpcRpc(boolean inProcess) {
        this.inProcess = inProcess;
    }

    /** gRPC over Netty (grpc-netty-shaded), TCP loopback, the server in a child JVM. */
    static GrpcRpc netty() {
        return new GrpcRpc(false);
    }

    /** gRPC's in-process transport: client and server in this JVM, no second process. */
    static GrpcRpc inProcess() {
        return new GrpcRpc(true);
    }

    @Override
    public String name() {
        return inProcess ? "grpc in-process" : "grpc netty (tcp)";
    }

    @Override
    public String note() {
        return inProcess ? "same JVM, no second process: not a cross-process number"
                : "grpc-netty-shaded over TCP loopback, plaintext, direct executors";
    }

    @Override
    public boolean concurrentUnary() {
        return true;
    }

    @Override
    public void start(Children children) throws Exception {
        if (inProcess) {
            String name = "rapace-bench-" + UUID.randomUUID();
            server = InProcessServerBuilder.forName(name).directExecutor().addService(service()).build().start();
            channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        } else {
            child = children.spawn(RpcPeer.class, RpcBenchmark.PEER_FLAGS, "grpc-netty");
            int port = Integer.parseInt(children.expect(child, "READY").split(" ")[2]);
            channel = Grpc.newChannelBuilderForAddress(InetAddress.getLoopbackAddress().getHostAddress(), port,
                    InsecureChannelCredentials.create()).directExecutor().build();
        }
        unary(new byte[1]); // connects
    }

    @Override
    public byte[] unary(byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
    }

    @Override
    public long serverStream(int count, int size) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        byte[] request = ByteBuffer.allocate(8).putInt(count).putInt(size).array();
        ClientCalls.asyncServerStreamingCall(channel.newCall(STREAM, CallOptions.DEFAULT), request,
                new CountingObserver(done, null));
        return done.get(Children.GUARD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public long clientStream(int count, int size) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        byte[] element = new byte[size];
        ClientCalls.asyncClientStreamingCall(channel.newCall(UPLOAD, CallOptions.DEFAULT),
                new ClientResponseObserver<byte[], byte[]>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
                        requests.setOnReadyHandler(flood(requests, count, element));
                    }

                    @Override
                    public void onNext(byte[] value) {
                        done.complete(ByteBuffer.wrap(value).getLong());
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.completeExceptionally(new IllegalStateException("completed without an answer"));
                    }
                });
        return done.get(Children.GUARD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public long bidiStream(int count, int size) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        byte[] element = new byte[size];
        ClientCalls.asyncBidiStreamingCall(channel.newCall(ECHOES, CallOptions.DEFAULT),
                new CountingObserver(done, requests -> flood(requests, count, element)));
        return done.get(Children.GUARD_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Counts the bytes of a response stream into {@code done}, completing it with the total at the end; with
     * {@code onReady}, also sends the request stream whenever gRPC's flow control allows.
     */
    private static final class CountingObserver implements ClientResponseObserver<byte[], byte[]> {
        private final CompletableFuture<Long> done;
        private final Function<ClientCallStreamObserver<byte[]>, Runnable> onReady;
        private long bytes;

        CountingObserver(CompletableFuture<Long> done,
                Function<ClientCallStreamObserver<byte[]>, Runnable> onReady) {
            this.done = done;
            this.onReady = onReady;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
            if (onReady != null) {
                requests.setOnReadyHandler(onReady.apply(requests));
            }
        }

        @Override
        public void onNext(byte[] value) {
            bytes += value.length;
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(bytes);
        }
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.shutdownNow();
                channel.awaitTermination(10, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.shutdownNow();
                server.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (child != null) {
                Children.stop(child);
            }
        }
    }

    /** The echo service: both handlers run on the transport's thread. */
    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(GrpcRpc::stream))
                .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(GrpcRpc::upload))
                .addMethod(ECHOES, ServerCalls.asyncBidiStreamingCall(GrpcRpc::echoes))
                .build();
    }

    private static void stream(byte[] request, StreamObserver<byte[]> observer) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) observer;
        ByteBuffer b = ByteBuffer.wrap(request);
        int count = b.getInt();
        call.setOnReadyHandler(flood(call, count, new byte[b.getInt()]));
    }

    /**
     * An on-ready handler that sends {@code count} times {@code element} while the call is ready (it runs again
     * when flow control allows more), then completes the stream once.
     */
    private static Runnable flood(CallStreamObserver<byte[]> call, int count, byte[] element) {
        int[] sent = {0};
        return () -> {
            while (sent[0] < count && call.isReady()) {
                call.onNext(element);
                sent[0]++;
            }
            if (sent[0] == count) {
                sent[0]++; // complete once
                call.onCompleted();
            }
        };
    }

    /** Counts the bytes of every request; answers the total when the requests end. */
    private static StreamObserver<byte[]> upload(StreamObserver<byte[]> response) {
        return new StreamObserver<>() {
            private long bytes;

            @Override
            public void onNext(byte[] value) {
                bytes += value.length;
            }

            @Override
            public void onError(Throwable t) {
                // the caller gave up; nothing to answer
            }

            @Override
            public void onCompleted() {
                response.onNext(ByteBuffer.allocate(8).putLong(bytes).array());
                response.onCompleted();
            }
        };
    }

    /**
     * Answers each request with the same bytes, asking for the next request only while the response side is ready
     * (gRPC's manual flow-control pattern), so a slow reader holds up the writer instead of filling a buffer.
     */
    private static StreamObserver<byte[]> echoes(StreamObserver<byte[]> response) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) response;
        call.disableAutoRequest();
        boolean[] requested = {false};
        call.setOnReadyHandler(() -> {
            if (call.isReady() && !requested[0]) {
                requested[0] = true;
                call.request(1);
            }
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                call.onNext(value);
                if (call.isReady()) {
                    call.request(1);
                } else {
                    requested[0] = false; // the on-ready handler asks for the next
                }
            }

            @Override
            public void onError(Throwable t) {
                // the caller gave up; nothing to answer
            }

            @Override
            public void onCompleted() {
                call.onCompleted();
            }
        };
    }

    /** The peer: a Netty server on an ephemeral loopback port; prints {@code READY grpc-netty PORT}. */
    static void serve(List<String> args) throws IOException, InterruptedException {
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        InsecureServerCredentials.create())
                .directExecutor()
                .addService(service())
                .build()
                .start();
        RpcPeer.say("READY grpc-netty " + s.getPort());
        s.awaitTermination();
    }

    /**
     * A {@code byte[]} as a gRPC message: the stream it gives knows its length and drains straight into gRPC's
     * buffer, as protobuf's marshaller does, so gRPC neither measures nor copies it through an intermediate array.
     */
    enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {
        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
