package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.annotation.MethodKind;
import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorClient;
import io.rapace.calculator.CalculatorDescriptor;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.codec.Codecs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The typed method constants generated clients pass to {@link CallChannel}, and the check of their call shape. */
@Timeout(60)
class RpcMethodTest {

    @Test
    void generatedConstantsDescribeTheirMethods() {
        RpcMethod<?, ?> add = CalculatorClient.ADD;
        assertEquals(CalculatorDescriptor.SERVICE_NAME, add.serviceName());
        assertEquals("add", add.name());
        assertEquals(CalculatorDescriptor.ADD_ID, add.id());
        assertEquals(MethodKind.UNARY, add.kind());
        assertSame(Codecs.I64, add.responseCodec());
        assertEquals(new CalculatorDescriptor().fingerprint(CalculatorDescriptor.ADD_ID), add.fingerprint());
        assertNotEquals(0, add.fingerprint());
        assertEquals(List.of(MethodKind.CLIENT_STREAMING, MethodKind.SERVER_STREAMING, MethodKind.BIDI_STREAMING),
                List.of(CalculatorClient.SUM.kind(), CalculatorClient.COUNT_TO.kind(),
                        CalculatorClient.RUNNING_TOTAL.kind()));
        assertEquals("io.rapace.calculator.Calculator/add (423600472)", add.toString());
        assertEquals("io.rapace.calculator.Calculator/running_total (2261846859)",
                CalculatorClient.RUNNING_TOTAL.toString());
    }

    @Test
    void fingerprintIsKeptAndZeroWithoutOne() {
        RpcMethod<Long, Long> marked = CalculatorClient.COUNT_TO.withFingerprint(0x1234_5678_9ABC_DEF0L);
        assertEquals(0x1234_5678_9ABC_DEF0L, marked.fingerprint());
        assertEquals(0, RpcMethod.unary("s", "m", 1, Codecs.I64, Codecs.I64).fingerprint());
        assertEquals(CalculatorClient.COUNT_TO.toString(), marked.toString());
    }

    @Test
    void anUnnamedMethodPrintsItsId() {
        assertEquals("method 7", RpcMethod.unnamed(MethodKind.UNARY, 7, Codecs.I64, Codecs.I64).toString());
    }

    @Test
    void callingAMethodWithAnotherShapeIsRefusedBeforeAnythingIsSent() {
        try (Loopback loopback = Loopback.create()) {
            loopback.server().serve(new CalculatorDispatcher(new Arithmetic()));
            CallChannel channel = loopback.client();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> channel.serverStreaming(CalculatorClient.SUM, 3L, CallOptions.DEFAULT));
            assertEquals("io.rapace.calculator.Calculator/sum (1704335971) is CLIENT_STREAMING, so it cannot be called"
                    + " with serverStreaming (which calls SERVER_STREAMING methods)", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> channel.unaryAsync(CalculatorClient.COUNT_TO, 3L, CallOptions.DEFAULT));
            assertThrows(IllegalArgumentException.class,
                    () -> channel.unary(CalculatorClient.COUNT_TO, 3L, CallOptions.DEFAULT));
            assertThrows(IllegalArgumentException.class,
                    () -> channel.clientStreaming(CalculatorClient.RUNNING_TOTAL, RpcStream.of(1L),
                            CallOptions.DEFAULT));
            assertThrows(IllegalArgumentException.class,
                    () -> channel.bidiStreaming(CalculatorClient.SUM, RpcStream.of(1L), CallOptions.DEFAULT));
            // The right shape still works on the same channel.
            assertEquals(List.of(1L, 2L, 3L), channel.serverStreaming(CalculatorClient.COUNT_TO, 3L,
                    CallOptions.DEFAULT).toList());
        }
    }
}
