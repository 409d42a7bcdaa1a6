package io.rapace.idl.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a source into tokens, reporting lexical errors (unexpected characters, bad escapes, malformed numbers,
 * unterminated strings and comments) as it goes. A bad piece of input becomes one {@link TokenKind#ERROR} token, so
 * the parser fails quietly there instead of reporting the same place twice.
 */
final class Lexer {

    private final Source source;
    private final Reporter reporter;
    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    /** Errors reported inside the current string, so that its token is marked malformed. */
    private int reporterErrors;

    private Lexer(Source source, Reporter reporter) {
        this.source = source;
        this.reporter = reporter;
        this.text = source.text();
    }

    /** The tokens of {@code source}, ending with one {@link TokenKind#END} token. */
    static List<Token> tokenize(Source source, Reporter reporter) {
        Lexer lexer = new Lexer(source, reporter);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            int start = pos;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '/' && peek(1) == '/') {
                lineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (isIdentifierStart(c)) {
                while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
                String word = text.substring(start, pos);
                add(TokenKind.IDENTIFIER, start, word, 0);
            } else if (isDigit(c)) {
                number();
            } else if (c == '"') {
                string();
            } else if (c == '-' && peek(1) == '>') {
                pos += 2;
                add(TokenKind.ARROW, start, "->", 0);
            } else {
                TokenKind punctuation = punctuation(c);
                if (punctuation != null) {
                    pos++;
                    add(punctuation, start, String.valueOf(c), 0);
                } else {
                    unexpected();
                }
            }
        }
        tokens.add(new Token(TokenKind.END, text.length(), text.length(), "", "", 0, false));
    }

    private static TokenKind punctuation(char c) {
        return switch (c) {
            case '{' -> TokenKind.LEFT_BRACE;
            case '}' -> TokenKind.RIGHT_BRACE;
            case '(' -> TokenKind.LEFT_PAREN;
            case ')' -> TokenKind.RIGHT_PAREN;
            case '[' -> TokenKind.LEFT_BRACKET;
            case ']' -> TokenKind.RIGHT_BRACKET;
            case '<' -> TokenKind.LESS;
            case '>' -> TokenKind.GREATER;
            case ',' -> TokenKind.COMMA;
            case ';' -> TokenKind.SEMICOLON;
            case ':' -> TokenKind.COLON;
            case '.' -> TokenKind.DOT;
            case '=' -> TokenKind.EQUALS;
            default -> null;
        };
    }

    /** {@code //} comments, and {@code ///} (exactly three slashes) doc comments, which become tokens. */
    private void lineComment() {
        int start = pos;
        int slashes = 0;
        while (pos < text.length() && text.charAt(pos) == '/') {
            slashes++;
            pos++;
        }
        int contentStart = pos;
        while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            pos++;
        }
        if (slashes == 3) {
            int from = contentStart < pos && text.charAt(contentStart) == ' ' ? contentStart + 1 : contentStart;
            int to = pos;
            while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
                to--;
            }
            tokens.add(new Token(TokenKind.DOC, start, pos, text.substring(start, pos), text.substring(from, to), 0,
                    false));
        }
    }

    private void blockComment() {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
            reporter.error(source, pos, "unterminated block comment: `/*` has no matching `*/`");
            pos = text.length();
        } else {
            pos = end + 2;
        }
    }

    /** Decimal or {@code 0x} hex integers, and dotted numbers such as the {@code 1.0} of a version. */
    private void number() {
        int start = pos;
        skipWordCharacters();
        while (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            pos++;
            skipWordCharacters();
        }
        String word = text.substring(start, pos);
        if (word.indexOf('.') >= 0) {
            for (String part : word.split("\\.", -1)) {
                if (!allDigits(part, 0)) {
                    invalidNumber(start, word);
                    return;
                }
            }
            add(TokenKind.DOTTED_NUMBER, start, word, 0);
        } else if (word.startsWith("0x")) {
            if (word.length() == 2 || !allHexDigits(word, 2)) {
                invalidNumber(start, word);
                return;
            }
            add(TokenKind.NUMBER, start, word, value(word, 2, 16));
        } else if (allDigits(word, 0)) {
            if (word.length() > 1 && word.charAt(0) == '0') {
                reporter.error(source, start, "number " + Text.quote(word)
                        + " has a leading zero; write decimal numbers without one, or hex as 0x...");
            }
            add(TokenKind.NUMBER, start, word, value(word, 0, 10));
        } else {
            invalidNumber(start, word);
        }
    }

    private void invalidNumber(int start, String word) {
        reporter.error(source, start, "invalid number " + Text.quote(word)
                + ": a number is decimal digits, or 0x and hex digits");
        add(TokenKind.ERROR, start, word, 0);
    }

    private static long value(String digits, int from, int radix) {
        long value = 0;
        for (int i = from; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (value > (Long.MAX_VALUE - digit) / radix) {
                return Token.TOO_LARGE;
            }
            value = value * radix + digit;
        }
        return value;
    }

    /** A string on one line, with the escapes {@code \" \\ \n \r \t} and {@code &#92;u{hex}}. */
    private void string() {
        int start = pos;
        pos++;
        int errors = reporterErrors;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
                reporter.error(source, start, "unterminated string: a string ends with `\"` on the line it starts");
                add(TokenKind.ERROR, start, text.substring(start, pos), 0);
                return;
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                escape(value);
            } else {
                value.append(c);
                pos++;
            }
        }
        tokens.add(new Token(TokenKind.STRING, start, pos, text.substring(start, pos), value.toString(), 0,
                reporterErrors != errors));
    }

    private void escape(StringBuilder value) {
        int start = pos;
        if (pos + 1 >= text.length() || text.charAt(pos + 1) == '\n' || text.charAt(pos + 1) == '\r') {
            pos++;
            return;
        }
        char next = text.charAt(pos + 1);
        pos += 2;
        switch (next) {
            case '"' -> value.append('"');
            case '\\' -> value.append('\\');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'u' -> unicodeEscape(start, value);
            default -> {
                int codePoint = text.codePointAt(start + 1);
                pos = start + 1 + Character.charCount(codePoint);
                error(start, "unknown escape " + escapeText(start, pos)
                        + " in a string; the escapes are \\\" \\\\ \\n \\r \\t and \\u{hex}");
            }
        }
    }

    private void unicodeEscape(int start, StringBuilder value) {
        if (pos >= text.length() || text.charAt(pos) != '{') {
            error(start, "`\\u` needs its code point in braces, as in \\u{e9}");
            return;
        }
        int digitsStart = pos + 1;
        int end = digitsStart;
        while (end < text.length() && isHexDigit(text.charAt(end))) {
            end++;
        }
        if (end >= text.length() || text.charAt(end) != '}') {
            pos = end;
            error(start, "`\\u{` needs hex digits and a closing `}`, as in \\u{e9}");
            return;
        }
        pos = end + 1;
        int digits = end - digitsStart;
        long codePoint = digits == 0 || digits > 6 ? -1 : Long.parseLong(text.substring(digitsStart, end), 16);
        if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            error(start, "invalid escape " + escapeText(start, pos)
                    + ": \\u{...} takes 1 to 6 hex digits naming a Unicode scalar value (not a surrogate, at most"
                    + " 10FFFF)");
            return;
        }
        value.appendCodePoint((int) codePoint);
    }

    private void error(int offset, String message) {
        reporterErrors++;
        reporter.error(source, offset, message);
    }

    private String escapeText(int start, int end) {
        return Text.quote(text.substring(start, end));
    }

    private void unexpected() {
        int start = pos;
        int codePoint = text.codePointAt(pos);
        pos += Character.charCount(codePoint);
        while (pos < text.length() && startsNothing(text.codePointAt(pos))) {
            pos += Character.charCount(text.codePointAt(pos));
        }
        String message = "unexpected character " + Text.character(codePoint);
        if (codePoint > 0x7F && Character.isLetter(codePoint)) {
            message += "; identifiers are ASCII letters, digits and `_`";
        }
        reporter.error(source, start, message);
        add(TokenKind.ERROR, start, text.substring(start, pos), 0);
    }

    /** Whether a character can start no token, so that a run of them makes one error. */
    private static boolean startsNothing(int c) {
        return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' && c != '"' && c != '-'
                && !(c < 0x80 && (isIdentifierPart((char) c) || punctuation((char) c) != null));
    }

    private void add(TokenKind kind, int start, String tokenText, long number) {
        tokens.add(new Token(kind, start, pos, tokenText, tokenText, number, false));
    }

    private char peek(int ahead) {
        return pos + ahead < text.length() ? text.charAt(pos + ahead) : '\0';
    }

    private void skipWordCharacters() {
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean allDigits(String word, int from) {
        if (from >= word.length()) {
            return false;
        }
        for (int i = from; i < word.length(); i++) {
            if (!isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allHexDigits(String word, int from) {
        for (int i = from; i < word.length(); i++) {
            if (!isHexDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
