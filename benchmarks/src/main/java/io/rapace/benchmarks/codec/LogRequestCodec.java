package io.rapace.benchmarks.codec;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;

/** Postcard codec of {@link LogRequest}: its fields in declaration order. */
public final class LogRequestCodec {
    private static final LogLevel[] LOG_LEVELS = LogLevel.values();

    /** A value is at least two bytes: the level's index and the message's length. */
    public static final Codec<LogRequest> CODEC = Codec.of(LogRequestCodec::encode, LogRequestCodec::decode, 2);

    private LogRequestCodec() {
    }

    public static void encode(PostcardWriter out, LogRequest v) {
        out.writeVariantIndex(v.level().ordinal());
        out.writeString(v.message(), "message");
    }

    public static LogRequest decode(PostcardReader in) throws DecodeException {
        LogLevel level = LOG_LEVELS[in.readVariantIndex(5, "LogLevel")];
        String message = in.readString();
        return new LogRequest(level, message);
    }
}
