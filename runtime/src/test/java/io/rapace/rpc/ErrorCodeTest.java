package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** rapace's numbering (docs/generated-code.md): gRPC's names, NOT gRPC's numbers. */
    @Test
    void numbersAreRapacesNotGrpcs() {
        Map<ErrorCode, Integer> expected = new LinkedHashMap<>();
        expected.put(ErrorCode.OK, 0);
        expected.put(ErrorCode.CANCELLED, 1);
        expected.put(ErrorCode.DEADLINE_EXCEEDED, 2);
        expected.put(ErrorCode.INVALID_ARGUMENT, 3);
        expected.put(ErrorCode.NOT_FOUND, 4);
        expected.put(ErrorCode.ALREADY_EXISTS, 5);
        expected.put(ErrorCode.PERMISSION_DENIED, 6);
        expected.put(ErrorCode.RESOURCE_EXHAUSTED, 7);
        expected.put(ErrorCode.FAILED_PRECONDITION, 8);
        expected.put(ErrorCode.ABORTED, 9);
        expected.put(ErrorCode.OUT_OF_RANGE, 10);
        expected.put(ErrorCode.UNIMPLEMENTED, 11);
        expected.put(ErrorCode.INTERNAL, 12);
        expected.put(ErrorCode.UNAVAILABLE, 13);
        expected.put(ErrorCode.DATA_LOSS, 14);
        expected.put(ErrorCode.PEER_DIED, 100);
        expected.put(ErrorCode.SESSION_CLOSED, 101);
        expected.put(ErrorCode.VALIDATION_FAILED, 102);
        expected.put(ErrorCode.STALE_GENERATION, 103);
        expected.put(ErrorCode.UNKNOWN, -1);
        Map<ErrorCode, Integer> actual = new LinkedHashMap<>();
        Arrays.stream(ErrorCode.values()).forEach(code -> actual.put(code, code.value()));
        assertEquals(expected, actual);
    }

    @Test
    void fromRawMapsEveryListedNumberBackAndEveryOtherToUnknown() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNKNOWN) {
                assertEquals(code, ErrorCode.fromRaw(code.value()));
            }
        }
        for (int raw : new int[] {15, 16, 99, 104, 255, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(ErrorCode.UNKNOWN, ErrorCode.fromRaw(raw), "raw " + raw);
        }
    }

    @Test
    void exceptionCarriesCodeRawCodeAndMessage() {
        RpcException e = new RpcException(ErrorCode.NOT_FOUND, "no key cache_key");
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals(4, e.rawCode());
        assertEquals("no key cache_key", e.getMessage());
        assertEquals("io.rapace.rpc.RpcException: NOT_FOUND (4): no key cache_key", e.toString());
    }

    @Test
    void numberFromANewerPeerIsUnknownButKept() {
        RpcException e = RpcException.ofRaw(200, "something new");
        assertEquals(ErrorCode.UNKNOWN, e.code());
        assertEquals(200, e.rawCode());
        assertEquals("io.rapace.rpc.RpcException: UNKNOWN (200): something new", e.toString());
        RpcException top = RpcException.ofRaw(-1, "all bits");
        assertEquals("io.rapace.rpc.RpcException: UNKNOWN (4294967295): all bits", top.toString());
        assertEquals(ErrorCode.PEER_DIED, RpcException.ofRaw(100, "gone").code());
    }

    @Test
    void okAndUnknownAreNotFailures() {
        assertEquals("an RpcException needs a failure code, not OK", assertThrows(IllegalArgumentException.class,
                () -> new RpcException(ErrorCode.OK, "fine")).getMessage());
        assertEquals("an RpcException needs a failure code, not UNKNOWN", assertThrows(IllegalArgumentException.class,
                () -> new RpcException(ErrorCode.UNKNOWN, "what")).getMessage());
        assertEquals("error code 0 (OK) is not a failure: fine", assertThrows(IllegalArgumentException.class,
                () -> RpcException.ofRaw(0, "fine")).getMessage());
    }
}
