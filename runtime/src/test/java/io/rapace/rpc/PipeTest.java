package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The credit rule of one stream direction, on a single thread (nothing here ever has to wait). */
@Timeout(30)
class PipeTest {

    private static Pipe<byte[]> bytePipe(int window) {
        return new Pipe<>(window, bytes -> bytes.length);
    }

    @Test
    void elementsComeOutInOrderThenTheEnd() throws Exception {
        Pipe<byte[]> pipe = bytePipe(16);
        pipe.put(new byte[] {1});
        pipe.put(new byte[] {2, 2});
        pipe.complete();
        assertEquals(1, pipe.take().length);
        assertEquals(2, pipe.take().length);
        assertNull(pipe.take());
        assertNull(pipe.take());
    }

    @Test
    void anElementLargerThanTheWindowPassesWhenNothingIsUnread() throws Exception {
        Pipe<byte[]> pipe = bytePipe(4);
        pipe.put(new byte[100]);
        assertEquals(100, pipe.take().length);
        pipe.put(new byte[4]);
        assertEquals(0, pipe.blockedSenders());
    }

    @Test
    void failureDropsWhatIsBufferedAndReachesBothSides() throws Exception {
        Pipe<byte[]> pipe = bytePipe(16);
        pipe.put(new byte[] {1});
        pipe.fail(Failure.of(ErrorCode.CANCELLED, "cancelled by the caller"));
        RpcException taken = assertThrows(RpcException.class, pipe::take);
        assertEquals("io.rapace.rpc.RpcException: CANCELLED (1): cancelled by the caller", taken.toString());
        RpcException put = assertThrows(RpcException.class, () -> pipe.put(new byte[] {2}));
        assertEquals("io.rapace.rpc.RpcException: CANCELLED (1): cancelled by the caller", put.toString());
    }

    @Test
    void failureAfterTheReceiverTookTheEndChangesNothing() throws Exception {
        Pipe<byte[]> pipe = bytePipe(16);
        pipe.complete();
        assertNull(pipe.take());
        pipe.fail(Failure.of(ErrorCode.CANCELLED, "too late"));
        assertNull(pipe.take());
    }

    @Test
    void sendingAfterCompletingIsAProgrammingError() throws Exception {
        Pipe<byte[]> pipe = bytePipe(16);
        pipe.complete();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pipe.put(new byte[] {1}));
        assertEquals("the stream was already completed", e.getMessage());
    }
}
