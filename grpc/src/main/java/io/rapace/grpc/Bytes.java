package io.rapace.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Message bodies as gRPC carries them for rapace: exactly the postcard bytes, with nothing around them. */
final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    static final Bytes MARSHALLER = new Bytes();

    private Bytes() {
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try (stream) {
            return stream.readAllBytes(); // gRPC has checked the message's size against the inbound maximum
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read a message: " + e).asRuntimeException();
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
