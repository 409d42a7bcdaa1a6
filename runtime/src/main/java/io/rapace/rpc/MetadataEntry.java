package io.rapace.rpc;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a call's metadata: a key and opaque bytes, sent with the call ({@link CallOptions#withMetadata}) and
 * read by the handler ({@link CallContext#metadata()}). On the wire it is the tuple {@code (string, bytes)} of the
 * call header. Keys may repeat; order is kept.
 *
 * @param key   the key, any string
 * @param value the bytes; the record keeps its own copy and hands out copies
 */
public record MetadataEntry(String key, byte[] value) {

    public MetadataEntry {
        Objects.requireNonNull(key, "key");
        value = Objects.requireNonNull(value, "value").clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The bytes without copying, for the encoder. */
    byte[] bytes() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataEntry other && key.equals(other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "MetadataEntry[key=" + key + ", value=" + Arrays.toString(value) + "]";
    }
}
