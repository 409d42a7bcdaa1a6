package io.rapace.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Message bodies as gRPC carries them for rapace: exactly the postcard bytes, with nothing around them. */
final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    static final Bytes MARSHALLER = new Bytes();

    private Bytes() {
    }

    /** The body as a stream that tells its length and drains into gRPC's buffer: gRPC neither measures nor copies it. */
    @Override
    public InputStream stream(byte[] value) {
        return new Body(value);
    }

    /** The message's bytes, read into one array of its size when gRPC says it (it does for what it received). */
    @Override
    public byte[] parse(InputStream stream) {
        try (stream) {
            if (stream instanceof KnownLength) {
                // gRPC has checked the message's size against the inbound maximum, and tells what is left of it
                byte[] body = new byte[stream.available()];
                if (stream.readNBytes(body, 0, body.length) == body.length && stream.read() < 0) {
                    return body;
                }
                throw Status.INTERNAL.withDescription("a message was not as long as gRPC said").asRuntimeException();
            }
            return stream.readAllBytes();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read a message: " + e).asRuntimeException();
        }
    }

    /** A body gRPC writes out without an intermediate buffer ({@link KnownLength}, {@link Drainable}). */
    private static final class Body extends ByteArrayInputStream implements KnownLength, Drainable {
        Body(byte[] bytes) {
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

    /** The gRPC method of a rapace method: {@code <service name>/<method name>}, bodies as bytes. */
    static MethodDescriptor<byte[], byte[]> method(String service, String name, io.rapace.annotation.MethodKind kind) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(switch (kind) {
                    case UNARY -> MethodDescriptor.MethodType.UNARY;
                    case SERVER_STREAMING -> MethodDescriptor.MethodType.SERVER_STREAMING;
                    case CLIENT_STREAMING -> MethodDescriptor.MethodType.CLIENT_STREAMING;
                    case BIDI_STREAMING -> MethodDescriptor.MethodType.BIDI_STREAMING;
                })
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .setRequestMarshaller(MARSHALLER)
                .setResponseMarshaller(MARSHALLER)
                .build();
    }
}
