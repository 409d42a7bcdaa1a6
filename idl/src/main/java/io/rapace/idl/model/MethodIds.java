package io.rapace.idl.model;

import java.nio.charset.StandardCharsets;

/**
 * The default method id rule ({@code docs/idl.md}, "Method ids"): FNV-1a-64 over the UTF-8 bytes of
 * {@code ServiceIdentifier.method_name_as_written}, folded to 32 bits as {@code (int) ((h >>> 32) ^ h)}. The
 * identifier is the service's identifier (the Java interface name), never its quoted name: {@code Calculator.add} is
 * {@code 0x193FA158}, and {@code Files.open} in {@code service Toolbox} hashes {@code Toolbox.Files.open}.
 */
public final class MethodIds {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private MethodIds() {
    }

    /** The id of a method written without one: the folded FNV-1a-64 of {@code identifier.name}. May be 0. */
    public static int defaultMethodId(String serviceIdentifier, String methodNameAsWritten) {
        long h = fnv1a64(serviceIdentifier + "." + methodNameAsWritten);
        return (int) ((h >>> 32) ^ h);
    }

    /** FNV-1a-64 of the UTF-8 bytes of {@code text}. */
    public static long fnv1a64(String text) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** An id as the unsigned decimal number the registry prints, e.g. {@code 4294967295} for {@code -1}. */
    public static String toUnsignedString(int id) {
        return Integer.toUnsignedString(id);
    }

    /** An id as {@code 0x} and eight upper-case hex digits, e.g. {@code 0x193FA158}. */
    public static String toHexString(int id) {
        return String.format("0x%08X", id);
    }
}
