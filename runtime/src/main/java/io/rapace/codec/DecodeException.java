package io.rapace.codec;

/**
 * Bytes that are not a valid postcard encoding of the expected type.
 *
 * <p>Carries the byte offset (relative to the start of the decoded range) at which the problem was found and a
 * {@link Reason} category, so callers can react without parsing the message. A decoder never throws anything else,
 * whatever the input.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a decode failed. {@link #label()} is the name used in {@code postcard-invalid.tsv}. */
    public enum Reason {
        /** The input ends inside a value. */
        TRUNCATED("truncated"),
        /** A varint still has its continuation bit on the last byte its width allows. */
        OVERLONG_VARINT("overlong-varint"),
        /** A varint ends on its last allowed byte but the value does not fit the type. */
        VARINT_OVERFLOW("varint-overflow"),
        /** A bool byte other than 0 or 1. */
        INVALID_BOOL("invalid-bool"),
        /** String bytes that are not strict UTF-8. */
        INVALID_UTF8("invalid-utf8"),
        /** A char whose length is not 1..4 or whose bytes are not exactly one Unicode scalar value. */
        INVALID_CHAR("invalid-char"),
        /** An option tag other than 0 or 1. */
        INVALID_OPTION_TAG("invalid-option-tag"),
        /** An enum variant index that names no variant. */
        UNKNOWN_VARIANT("unknown-variant"),
        /** A length prefix or element count larger than the input left could hold. */
        LENGTH_EXCEEDS_INPUT("length-exceeds-input"),
        /** The value decoded completely but bytes are left over. */
        TRAILING("trailing"),
        /** A map key seen twice (postcard keeps the last value; we reject the message). */
        DUPLICATE_KEY("duplicate-key"),
        /** A COBS frame whose structure is broken. */
        COBS("other:cobs"),
        /**
         * The bytes decode, but the value breaks a rule of its type beyond postcard's: for example a registry schema
         * that refers to a type it does not define, or nests types deeper than the schema model allows.
         */
        INVALID_VALUE("other:invalid-value");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The reason as written in the conformance files, e.g. {@code overlong-varint}. */
        public String label() {
            return label;
        }
    }

    private final long offset;
    private final Reason reason;

    public DecodeException(Reason reason, long offset, String detail) {
        super(reason.label() + " at offset " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    /** The byte offset, from the start of the decoded range, at which the problem was found. */
    public long offset() {
        return offset;
    }

    /** The category of the problem. */
    public Reason reason() {
        return reason;
    }
}
