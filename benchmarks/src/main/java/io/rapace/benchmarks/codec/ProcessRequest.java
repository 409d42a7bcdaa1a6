package io.rapace.benchmarks.codec;

/**
 * The seed's {@code struct ProcessRequest { request_id: u64, operation: string, data: bytes }}.
 *
 * @param requestId a {@code u64}: the long holds its 64 bits
 */
public record ProcessRequest(long requestId, String operation, byte[] data) {
}
