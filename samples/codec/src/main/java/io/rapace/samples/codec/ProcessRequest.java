package io.rapace.samples.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The seed's {@code ProcessRequest} ({@code request_id: u64, operation: string, data: bytes}), written the way the
 * generator will write a struct: a record whose {@code equals}, {@code hashCode} and {@code toString} compare and
 * print the byte array by content.
 *
 * @param requestId the caller's request number ({@code u64}: the long holds its 64 bits)
 * @param operation what the plugin should do
 * @param data the bytes to work on
 */
public record ProcessRequest(long requestId, String operation, byte[] data) {
    public ProcessRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessRequest other
                && requestId == other.requestId
                && operation.equals(other.operation)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, operation, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ProcessRequest[requestId=" + Long.toUnsignedString(requestId) + ", operation=" + operation
                + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
}
