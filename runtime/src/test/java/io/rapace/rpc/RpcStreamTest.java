package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams made by a program, iterated in the same JVM without a transport (an implementation's own unit test). */
@Timeout(60)
class RpcStreamTest {

    @Test
    void ofAndFromIterateTheirValues() {
        assertEquals(List.of("a", "b"), RpcStream.of("a", "b").toList());
        assertEquals(List.of(1, 2, 3), RpcStream.from(List.of(1, 2, 3)).toList());
        assertEquals(List.of(), RpcStream.of().toList());
    }

    @Test
    void aStreamIsConsumedOnce() {
        RpcStream<String> stream = RpcStream.of("a");
        stream.toList();
        IllegalStateException e = assertThrows(IllegalStateException.class, stream::iterator);
        assertEquals("a stream can be consumed only once", e.getMessage());
    }

    @Test
    void streamsCarryNoNulls() {
        assertThrows(NullPointerException.class, () -> RpcStream.of("a", null));
    }

    @Test
    void cancelledLocalStreamThrowsCancelled() {
        RpcStream<String> stream = RpcStream.of("a", "b");
        Iterator<String> it = stream.iterator();
        assertEquals("a", it.next());
        stream.cancel();
        RpcException e = assertThrows(RpcException.class, it::hasNext);
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals("the stream was cancelled", e.getMessage());
    }

    @Test
    void generatedStreamIteratedLocallyRunsItsProducer() {
        RpcStream<Integer> squares = RpcStream.generate(out -> {
            for (int i = 1; i <= 100; i++) {
                out.send(i * i);
            }
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            expected.add(i * i);
        }
        assertEquals(expected, squares.toList());
    }

    @Test
    void producerFailureEndsTheStreamAfterWhatItSent() {
        Iterator<String> it = RpcStream.<String>generate(out -> {
            out.send("first");
            throw new IllegalStateException("broken");
        }).iterator();
        assertEquals("first", it.next());
        RpcException e = assertThrows(RpcException.class, it::hasNext);
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("stream producer failed: java.lang.IllegalStateException: broken", e.getMessage());
    }

    @Test
    void producerRpcExceptionKeepsItsCode() {
        RpcStream<String> stream = RpcStream.generate(out -> {
            throw new RpcException(ErrorCode.NOT_FOUND, "nothing to send");
        });
        RpcException e = assertThrows(RpcException.class, stream::toList);
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals("nothing to send", e.getMessage());
    }

    @Test
    void cancellingALocalGeneratedStreamStopsItsBlockedProducer() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<RpcException> producerSaw = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        RpcStream<Integer> stream = RpcStream.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.send(i);
                    sent.incrementAndGet();
                }
            } catch (RpcException e) {
                producerSaw.set(e);
            } finally {
                stopped.countDown();
            }
        });
        Iterator<Integer> it = stream.iterator();
        assertEquals(0, it.next());
        stream.cancel();
        stopped.await();
        assertEquals(ErrorCode.CANCELLED, producerSaw.get().code());
        assertTrue(sent.get() <= GeneratedStream.LOCAL_WINDOW + 1, "sent " + sent.get());
        assertThrows(RpcException.class, it::hasNext);
    }

    @Test
    void closeAfterTheEndChangesNothing() {
        RpcStream<String> stream = RpcStream.generate(out -> out.send("only"));
        try (stream) {
            Iterator<String> it = stream.iterator();
            assertEquals("only", it.next());
            assertFalse(it.hasNext());
        }
    }
}
