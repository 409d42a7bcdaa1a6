package io.rapace.idl.parse;

/**
 * A token: its kind and where it is ({@code start} inclusive, {@code end} exclusive, offsets into the source text).
 *
 * @param kind the kind
 * @param start the offset of the first character
 * @param end the offset after the last character
 * @param text the source text of the token
 * @param value the decoded text of a string, or the text of a doc comment; otherwise {@code text}
 * @param number the value of a number; {@link #TOO_LARGE} when it does not fit in a {@code long}
 * @param malformed whether the lexer reported an error inside the token (a string with a bad escape), so that its
 *     value is not checked again
 */
record Token(TokenKind kind, int start, int end, String text, String value, long number, boolean malformed) {

    /** The {@link #number} of a number literal too large for a {@code long}. */
    static final long TOO_LARGE = -1;

    boolean is(TokenKind other) {
        return kind == other;
    }

    /** Whether this is the identifier (or keyword) {@code word}. */
    boolean isWord(String word) {
        return kind == TokenKind.IDENTIFIER && text.equals(word);
    }

    /** How a message names this token: {@code `struct`}, {@code `;`}, {@code end of file}. */
    String describe() {
        return switch (kind) {
            case IDENTIFIER, NUMBER, DOTTED_NUMBER, STRING -> Text.quote(text);
            default -> kind.description();
        };
    }
}
