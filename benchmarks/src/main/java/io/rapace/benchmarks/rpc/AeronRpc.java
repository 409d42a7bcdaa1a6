package io.rapace.benchmarks.rpc;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.rapace.benchmarks.harness.Children;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron IPC between the two processes: the media driver is embedded in the host (this JVM) only, in
 * {@link ThreadingMode#SHARED} with a {@link BackoffIdleStrategy} (spins briefly, then yields, then parks up to 1 ms,
 * so it is not a second spinning thread), its directory a unique name in {@code /dev/shm} deleted on close. Each
 * side has an exclusive publication and a subscription on {@value #CHANNEL}, and busy-polls its subscription while
 * it waits. A message is a 4-byte operation (those of {@link AgronaRpc}) and its body; messages longer than the
 * default MTU are fragmented by Aeron and reassembled by a {@link FragmentAssembler}. A client stream is a flood of
 * {@link AgronaRpc#UPLOAD}s and an {@link AgronaRpc#END}, answered with the 8-byte count of the bytes uploaded; a
 * bidi stream a flood of echoes, the caller's one thread offering while the publication takes them and polling the
 * echoes in between. Two variants, as {@link AgronaRpc}'s: zero-copy (received stream elements counted in the term
 * buffer) and copy-out (each received stream element, on either side, copied out into a new {@code byte[]}, as
 * rapace's decode does); a unary response is copied out in both.
 */
final class AeronRpc implements RpcSystem {
    static final String CHANNEL = "aeron:ipc?term-length=16m";
    static final int REQUEST_STREAM = 1001;
    static final int RESPONSE_STREAM = 1002;

    private final boolean copyOut;
    private Path dir;
    private MediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private Process child;
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(8 + (1 << 16)));
    private byte[] response;
    private long acknowledged;
    private int streamMessages;
    private long streamBytes;
    /** The last copied-out element: kept, as a consumer would, so the copy cannot be optimised away. */
    private byte[] lastItem;
    private final FragmentAssembler onResponse = new FragmentAssembler((buffer, offset, length, header) -> {
        response = new byte[length - 4];
        buffer.getBytes(offset + 4, response);
    });
    private final FragmentAssembler onItem = new FragmentAssembler((buffer, offset, length, header) ->
            received(buffer, offset, length));
    /** An echo of a bidi stream: the operation, then the element. */
    private final FragmentAssembler onEcho = new FragmentAssembler((buffer, offset, length, header) ->
            received(buffer, offset + 4, length - 4));
    private final FragmentAssembler onAck = new FragmentAssembler((buffer, offset, length, header) ->
            acknowledged = buffer.getLong(offset));

    /** {@code copyOut}: each received stream element is copied out into a new {@code byte[]}. */
    AeronRpc(boolean copyOut) {
        this.copyOut = copyOut;
    }

    @Override
    public String name() {
        return copyOut ? "aeron ipc copy-out (spin)" : "aeron ipc (spin)";
    }

    @Override
    public String note() {
        return "driver embedded in the host, SHARED threading, backoff idle; clients busy-poll; term 16 MiB, "
                + "default MTU" + (copyOut ? "; each stream element copied out into a new byte[]; its unary path is "
                + "aeron ipc (spin)'s, not measured again" : "");
    }

    @Override
    public boolean measuresUnary() {
        return !copyOut;
    }

    @Override
    public void start(Children children) throws Exception {
        dir = Segment.DEFAULT_DIRECTORY.resolve(Segment.newFileName(".aeron"));
        driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
        publication = aeron.addExclusivePublication(CHANNEL, REQUEST_STREAM);
        subscription = aeron.addSubscription(CHANNEL, RESPONSE_STREAM);
        child = children.spawn(RpcPeer.class, RpcBenchmark.PEER_FLAGS, "aeron", dir.toString(),
                Boolean.toString(copyOut));
        children.expect(child, "READY");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Children.GUARD_SECONDS);
        while (!publication.isConnected() || !subscription.isConnected()) {
            if (System.nanoTime() > until) {
                throw new IOException("aeron peer connected no publication or subscription");
            }
            Thread.sleep(1);
        }
    }

    @Override
    public byte[] unary(byte[] payload) {
        out.putInt(0, AgronaRpc.ECHO);
        out.putBytes(4, payload);
        offer(publication, out, 0, 4 + payload.length);
        response = null;
        while (response == null) {
            if (subscription.poll(onResponse, 1) == 0) {
                Thread.onSpinWait();
            }
        }
        return response;
    }

    @Override
    public long serverStream(int count, int size) {
        out.putInt(0, AgronaRpc.STREAM);
        out.putInt(4, count);
        out.putInt(8, size);
        streamMessages = 0;
        streamBytes = 0;
        offer(publication, out, 0, 12);
        while (streamMessages < count) {
            if (subscription.poll(onItem, 64) == 0) {
                Thread.onSpinWait();
            }
        }
        return streamBytes;
    }

    @Override
    public long clientStream(int count, int size) {
        out.putInt(0, AgronaRpc.UPLOAD);
        for (int i = 0; i < count; i++) {
            offer(publication, out, 0, 4 + size);
        }
        out.putInt(0, AgronaRpc.END);
        acknowledged = -1;
        offer(publication, out, 0, 4);
        while (acknowledged < 0) {
            if (subscription.poll(onAck, 1) == 0) {
                Thread.onSpinWait();
            }
        }
        return acknowledged;
    }

    @Override
    public long bidiStream(int count, int size) {
        out.putInt(0, AgronaRpc.ECHO);
        streamMessages = 0;
        streamBytes = 0;
        int sent = 0;
        while (streamMessages < count) {
            boolean offered = sent < count && tryOffer(publication, out, 0, 4 + size);
            if (offered) {
                sent++;
            }
            if (subscription.poll(onEcho, 64) == 0 && !offered) {
                Thread.onSpinWait();
            }
        }
        return streamBytes;
    }

    /** Counts one received stream element; in the copy-out variant, copies it out into a new array first. */
    private void received(DirectBuffer buffer, int offset, int length) {
        if (copyOut) {
            lastItem = new byte[length];
            buffer.getBytes(offset, lastItem);
        }
        streamMessages++;
        streamBytes += length;
    }

    /** Offers until the publication takes the message, spinning while it is back-pressured. */
    static void offer(ExclusivePublication publication, DirectBuffer buffer, int offset, int length) {
        while (!tryOffer(publication, buffer, offset, length)) {
            Thread.onSpinWait();
        }
    }

    /** Offers once: true if the publication took the message, false if it is back-pressured; fails if it is gone. */
    static boolean tryOffer(ExclusivePublication publication, DirectBuffer buffer, int offset, int length) {
        long result = publication.offer(buffer, offset, length);
        if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED
                || result == Publication.MAX_POSITION_EXCEEDED) {
            throw new IllegalStateException("aeron offer failed: " + Publication.errorString(result));
        }
        return result >= 0;
    }

    @Override
    public void close() {
        try {
            if (child != null) {
                Children.stop(child);
            }
        } finally {
            if (aeron != null) {
                aeron.close();
            }
            if (driver != null) {
                driver.close();
            }
            if (dir != null) {
                IoUtil.delete(dir.toFile(), true);
            }
        }
    }

    /** The peer: an Aeron client of the host's driver, echoing, streaming and counting from one busy-polling thread. */
    static void serve(List<String> args) throws InterruptedException {
        Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args.get(0)));
        Subscription requests = aeron.addSubscription(CHANNEL, REQUEST_STREAM);
        ExclusivePublication responses = aeron.addExclusivePublication(CHANNEL, RESPONSE_STREAM);
        while (!requests.isConnected() || !responses.isConnected()) {
            Thread.sleep(1);
        }
        FragmentHandler handler = new FragmentAssembler(new Server(responses, Boolean.parseBoolean(args.get(1))));
        RpcPeer.say("READY aeron");
        while (true) {
            if (requests.poll(handler, 16) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The peer's handler of every request (operation, then body); in the copy-out variant it copies out what it
     * receives, as the host.
     */
    private static final class Server implements FragmentHandler {
        private final ExclusivePublication responses;
        private final boolean copyOut;
        private final UnsafeBuffer item = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
        private final UnsafeBuffer copied = new UnsafeBuffer(new byte[0]);
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[8]);
        private long uploaded;
        /** The last copied-out upload: kept, as a consumer would, so the copy cannot be optimised away. */
        private byte[] lastUpload;

        Server(ExclusivePublication responses, boolean copyOut) {
            this.responses = responses;
            this.copyOut = copyOut;
        }

        @Override
        public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
            switch (buffer.getInt(offset)) {
                case AgronaRpc.ECHO -> {
                    if (copyOut) {
                        copied.wrap(copy(buffer, offset, length));
                        offer(responses, copied, 0, length);
                    } else {
                        offer(responses, buffer, offset, length);
                    }
                }
                case AgronaRpc.STREAM -> {
                    int count = buffer.getInt(offset + 4);
                    int size = buffer.getInt(offset + 8);
                    for (int i = 0; i < count; i++) {
                        offer(responses, item, 0, size);
                    }
                }
                case AgronaRpc.UPLOAD -> {
                    if (copyOut) {
                        lastUpload = copy(buffer, offset + 4, length - 4);
                    }
                    uploaded += length - 4;
                }
                case AgronaRpc.END -> {
                    ack.putLong(0, uploaded);
                    uploaded = 0;
                    offer(responses, ack, 0, 8);
                }
                default -> throw new IllegalStateException("unknown operation " + buffer.getInt(offset));
            }
        }

        private static byte[] copy(DirectBuffer buffer, int offset, int length) {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            return copy;
        }
    }
}
