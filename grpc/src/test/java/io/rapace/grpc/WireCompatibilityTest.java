package io.rapace.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing of rapace's on the other side: a plain gRPC client (a byte-array marshaller, the postcard bytes written by
 * hand) calls a rapace service, and a rapace client calls a plain gRPC server the same way. {@code add(2, 3)} is the
 * postcard {@code (i64, i64)} {@code 04 06} (zigzag varints), its answer the i64 5, {@code 0a}.
 */
class WireCompatibilityTest {
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> ADD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("io.rapace.calculator.Calculator/add")
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
    private static final MethodDescriptor<byte[], byte[]> COUNT_TO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("io.rapace.calculator.Calculator/count_to")
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();

    private Server server;
    private ManagedChannel channel;

    private void start(ServerServiceDefinition service) throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        assertTrue(channel.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(server.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void aPlainGrpcClientCallsARapaceService() throws IOException {
        start(RapaceGrpc.service(new CalculatorDispatcher(new RapaceGrpcInProcessTest.KeyedArithmetic())));
        assertArrayEquals(new byte[] {0x0a}, ClientCalls.blockingUnaryCall(channel, ADD, CallOptions.DEFAULT,
                new byte[] {0x04, 0x06}));
        List<byte[]> counted = new java.util.ArrayList<>();
        ClientCalls.blockingServerStreamingCall(channel, COUNT_TO, CallOptions.DEFAULT, new byte[] {0x06})
                .forEachRemaining(counted::add);
        assertEquals(List.of("02", "04", "06"), counted.stream().map(b -> String.format("%02x", b[0])).toList());
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, ADD, CallOptions.DEFAULT, new byte[] {0x04}));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().startsWith("request does not decode: truncated"),
                bad.getStatus().getDescription());
    }

    @Test
    void aRapaceClientCallsAPlainGrpcServer() throws IOException {
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<String> fingerprint = new AtomicReference<>();
        ServerServiceDefinition plain = ServerServiceDefinition.builder("io.rapace.calculator.Calculator")
                .addMethod(ADD, ServerCalls.asyncUnaryCall((request, response) -> {
                    received.set(request);
                    response.onNext(new byte[] {0x0a});
                    response.onCompleted();
                }))
                .build();
        Metadata.Key<String> key = Metadata.Key.of("rapace-fingerprint", Metadata.ASCII_STRING_MARSHALLER);
        start(ServerInterceptors.intercept(plain, new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                fingerprint.set(headers.get(key));
                return Contexts.interceptCall(io.grpc.Context.current(), call, headers, next);
            }
        }));
        assertEquals(5, new CalculatorClient(RapaceGrpc.channel(channel)).add(2, 3));
        assertArrayEquals(new byte[] {0x04, 0x06}, received.get());
        assertEquals(String.format("%016x", CalculatorClient.ADD.fingerprint()), fingerprint.get(),
                "the schema fingerprint travels as a header");
    }

    @Test
    void aCallerWithAnotherSchemaIsRefusedWithFailedPrecondition() throws IOException {
        start(RapaceGrpc.service(new CalculatorDispatcher(new RapaceGrpcInProcessTest.KeyedArithmetic())));
        RpcException refused = assertThrows(RpcException.class, () -> RapaceGrpc.channel(channel).serverStreaming(
                CalculatorClient.COUNT_TO.withFingerprint(0x1234), 3L, io.rapace.rpc.CallOptions.DEFAULT).toList());
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("schema mismatch: method io.rapace.calculator.Calculator.count_to (749004473) has schema "
                + "fingerprint 0000000000001234 on the caller and "
                + String.format("%016x", CalculatorClient.COUNT_TO.fingerprint()) + " here", refused.getMessage());
    }
}
