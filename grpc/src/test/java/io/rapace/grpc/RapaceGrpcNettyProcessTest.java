package io.rapace.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rapace.calculator.Calculator;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.Stats;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs over gRPC's Netty transport on loopback: the generated calculator client here, its dispatcher in a child
 * ({@link GrpcServerMain}). Every call shape, a large message, the registry, a deadline, and the server's death.
 */
class RapaceGrpcNettyProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    private Process child;
    private ManagedChannel channel;
    private Calculator calculator;

    @BeforeEach
    void start() throws Exception {
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), GrpcServerMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("PORT "), "the server did not start: " + line);
        int port = Integer.parseInt(line.substring("PORT ".length()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        calculator = new CalculatorClient(RapaceGrpc.channel(channel));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        assertTrue(channel.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS));
        child.getOutputStream().close();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the server JVM exited");
    }

    @Test
    void everyCallShapeAcrossTwoJvms() {
        assertEquals(5, calculator.add(2, 3));
        assertEquals(new Stats(4, 10), calculator.sum(RpcStream.of(1L, 2L, 3L, 4L)));
        assertEquals(List.of(1L, 2L, 3L), calculator.countTo(3).toList());
        assertEquals(List.of(1L, 3L, 6L, 10L), calculator.runningTotal(RpcStream.of(1L, 2L, 3L, 4L)).toList());
        long count = 0;
        for (long ignored : calculator.countTo(50_000)) {
            count++;
        }
        assertEquals(50_000, count, "a long stream, flow-controlled");
        assertEquals(ServiceRegistry.of(List.of(new CalculatorDescriptor())).describe(),
                RapaceGrpc.fetchRegistry(channel, GUARD).describe());
    }

    @Test
    void aDeadlineEndsTheCallAndADeadServerIsUnavailable() throws Exception {
        CalculatorClient hasty = new CalculatorClient(RapaceGrpc.channel(channel),
                CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)));
        RpcException late = org.junit.jupiter.api.Assertions.assertThrows(RpcException.class, () -> hasty.add(-4, 0));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, late.code());
        child.destroyForcibly(); // the server JVM this test started
        assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
        RpcException gone = org.junit.jupiter.api.Assertions.assertThrows(RpcException.class,
                () -> calculator.add(1, 2));
        assertEquals(ErrorCode.UNAVAILABLE, gone.code(), gone.toString());
    }
}
