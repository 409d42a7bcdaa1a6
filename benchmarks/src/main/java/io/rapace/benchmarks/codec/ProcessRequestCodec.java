package io.rapace.benchmarks.codec;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;

/** Postcard codec of {@link ProcessRequest}: its fields in declaration order. */
public final class ProcessRequestCodec {
    /** A value is at least three bytes: three one-byte varints. */
    public static final Codec<ProcessRequest> CODEC =
            Codec.of(ProcessRequestCodec::encode, ProcessRequestCodec::decode, 3);

    private ProcessRequestCodec() {
    }

    public static void encode(PostcardWriter out, ProcessRequest v) {
        out.writeU64(v.requestId());
        out.writeString(v.operation(), "operation");
        out.writeBytes(v.data());
    }

    public static ProcessRequest decode(PostcardReader in) throws DecodeException {
        long requestId = in.readU64();
        String operation = in.readString();
        byte[] data = in.readBytes();
        return new ProcessRequest(requestId, operation, data);
    }
}
