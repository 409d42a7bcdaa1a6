package io.rapace.shm;

import io.rapace.codec.PostcardWriter;

/** Writes a payload in place, usually a generated codec's {@code encode} of one value. */
@FunctionalInterface
public interface PayloadEncoder {
    void encode(PostcardWriter out);
}
