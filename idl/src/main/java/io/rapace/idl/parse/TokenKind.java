package io.rapace.idl.parse;

/** The kinds of token; punctuation kinds carry the text they show in messages. */
enum TokenKind {
    IDENTIFIER("identifier"),
    /** A decimal or {@code 0x} hex integer. */
    NUMBER("number"),
    /** Numbers joined by dots, such as the {@code 1.0} of a version. */
    DOTTED_NUMBER("version number"),
    STRING("string"),
    /** A {@code ///} line; its text is the documentation. */
    DOC("doc comment"),
    LEFT_BRACE("`{`"),
    RIGHT_BRACE("`}`"),
    LEFT_PAREN("`(`"),
    RIGHT_PAREN("`)`"),
    LEFT_BRACKET("`[`"),
    RIGHT_BRACKET("`]`"),
    LESS("`<`"),
    GREATER("`>`"),
    COMMA("`,`"),
    SEMICOLON("`;`"),
    COLON("`:`"),
    DOT("`.`"),
    EQUALS("`=`"),
    ARROW("`->`"),
    /** Something the lexer already reported: an unexpected character or a malformed literal. */
    ERROR("invalid token"),
    END("end of file");

    private final String description;

    TokenKind(String description) {
        this.description = description;
    }

    /** How a message names a token of this kind, e.g. {@code `;`}. */
    String description() {
        return description;
    }

    /** Whether the token opens a bracket the parser and its recovery keep count of. */
    boolean opens() {
        return this == LEFT_BRACE || this == LEFT_PAREN || this == LEFT_BRACKET || this == LESS;
    }

    /** Whether the token closes such a bracket. */
    boolean closes() {
        return this == RIGHT_BRACE || this == RIGHT_PAREN || this == RIGHT_BRACKET || this == GREATER;
    }
}
