package io.rapace.grpc;

import io.grpc.Metadata;
import io.rapace.registry.SchemaFingerprint;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.MetadataEntry;
import io.rapace.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;

/**
 * rapace metadata as gRPC headers. Every rapace metadata value is bytes, so each key travels with gRPC's {@code -bin}
 * suffix (the value base64 on HTTP/2, bytes to both ends) and loses it on receipt; headers without it, and gRPC's and
 * rapace's own, are not metadata of the call. The schema fingerprint of the method called travels as
 * {@value #FINGERPRINT}.
 */
final class Headers {
    /** The header with the caller's schema fingerprint of the method, 16 hex digits. */
    static final String FINGERPRINT = "rapace-fingerprint";
    static final Metadata.Key<String> FINGERPRINT_KEY = Metadata.Key.of(FINGERPRINT, Metadata.ASCII_STRING_MARSHALLER);

    private Headers() {
    }

    /** The headers of a call with {@code metadata}; a key gRPC cannot carry fails the call with INVALID_ARGUMENT. */
    static Metadata of(List<MetadataEntry> metadata, long fingerprint) {
        Metadata headers = new Metadata();
        for (MetadataEntry entry : metadata) {
            Metadata.Key<byte[]> key;
            String name = entry.key();
            if (!name.equals(name.toLowerCase(java.util.Locale.ROOT)) || name.startsWith("grpc-")) {
                throw new RpcException(ErrorCode.INVALID_ARGUMENT, "metadata key \"" + entry.key()
                        + "\" is not a valid gRPC header name (lower case, and not grpc-...)");
            }
            try {
                key = Metadata.Key.of(entry.key() + Metadata.BINARY_HEADER_SUFFIX, Metadata.BINARY_BYTE_MARSHALLER);
            } catch (IllegalArgumentException e) {
                throw new RpcException(ErrorCode.INVALID_ARGUMENT, "metadata key \"" + entry.key()
                        + "\" is not a valid gRPC header name (lower-case letters, digits, - _ .): " + e.getMessage());
            }
            headers.put(key, entry.value());
        }
        if (fingerprint != 0) {
            headers.put(FINGERPRINT_KEY, SchemaFingerprint.hex(fingerprint));
        }
        return headers;
    }

    /** The rapace metadata in {@code headers}: every {@code -bin} header, in order, its key without the suffix. */
    static List<MetadataEntry> metadata(Metadata headers) {
        List<MetadataEntry> entries = new ArrayList<>();
        for (String name : headers.keys()) {
            if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX) || name.startsWith("grpc-")) {
                continue;
            }
            Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
            String plain = name.substring(0, name.length() - Metadata.BINARY_HEADER_SUFFIX.length());
            for (byte[] value : headers.getAll(key)) {
                entries.add(new MetadataEntry(plain, value));
            }
        }
        return entries;
    }

    /** The caller's fingerprint of the method, 0 when it sent none (or one that does not parse). */
    static long fingerprint(Metadata headers) {
        String text = headers.get(FINGERPRINT_KEY);
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(text, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
