package io.rapace.samples.codec;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;

/** Postcard codec of {@link ProcessRequest}: the fields in declaration order, no tags. */
public final class ProcessRequestCodec {
    /** For use inside {@code option}, {@code list} and {@code map} codecs. */
    public static final Codec<ProcessRequest> CODEC =
            Codec.of(ProcessRequestCodec::encode, ProcessRequestCodec::decode, 3);

    private ProcessRequestCodec() {
    }

    public static void encode(PostcardWriter out, ProcessRequest value) {
        out.writeU64(value.requestId());
        out.writeString(value.operation(), "ProcessRequest.operation");
        out.writeBytes(value.data());
    }

    public static ProcessRequest decode(PostcardReader in) throws DecodeException {
        long requestId = in.readU64();
        String operation = in.readString();
        byte[] data = in.readBytes();
        return new ProcessRequest(requestId, operation, data);
    }
}
