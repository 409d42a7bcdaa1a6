package io.rapace.session;

import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;

/**
 * Channel 0, method 14, flag CONTROL: the sender opens nothing new, lets what is in flight drain, then closes.
 *
 * <pre>
 * struct GoAway {
 *     code: u32,        // an error code (docs/generated-code.md): 0 OK for an orderly close, else why
 *     reason: string,   // for people and logs
 * }
 * </pre>
 *
 * @param code the error code (0 for an orderly close)
 * @param reason why, in words
 */
public record GoAway(int code, String reason) {

    void encode(PostcardWriter out) {
        out.writeU32(code);
        out.writeString(reason, "reason");
    }

    static GoAway decode(PostcardReader in) throws DecodeException {
        int code = in.readU32();
        String reason = in.readString();
        in.expectEnd();
        return new GoAway(code, reason);
    }
}
