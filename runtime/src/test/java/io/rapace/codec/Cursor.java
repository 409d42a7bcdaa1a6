package io.rapace.codec;

/** A position in a type expression or a value notation string, with the small lexer both parsers need. */
final class Cursor {
    private final String s;
    private int p;

    Cursor(String s) {
        this.s = s;
    }

    IllegalArgumentException error(String message) {
        String shown = s.length() <= 200 ? s : s.substring(0, 200) + "...";
        return new IllegalArgumentException(message + " at column " + (p + 1) + " of: " + shown);
    }

    void skipSpaces() {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
    }

    boolean startsWith(String text) {
        skipSpaces();
        return s.startsWith(text, p);
    }

    boolean peek(char c) {
        skipSpaces();
        return p < s.length() && s.charAt(p) == c;
    }

    /** Consumes {@code text} if it comes next (after spaces). */
    boolean tryEat(String text) {
        skipSpaces();
        if (s.startsWith(text, p)) {
            p += text.length();
            return true;
        }
        return false;
    }

    void expect(String text) {
        if (!tryEat(text)) {
            throw error("expected '" + text + "'");
        }
    }

    /** Expects exactly the word {@code word} (not a longer name starting with it). */
    void expectWord(String word) {
        int at = p;
        String got = ident();
        if (!got.equals(word)) {
            p = at;
            throw error("expected '" + word + "', found '" + got + "'");
        }
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A name: letters, digits and underscores. */
    String ident() {
        skipSpaces();
        int start = p;
        while (p < s.length() && isNameChar(s.charAt(p))) {
            p++;
        }
        if (start == p) {
            throw error("expected a name");
        }
        return s.substring(start, p);
    }

    /** An unsigned decimal integer. */
    long unsigned() {
        skipSpaces();
        int start = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        if (start == p || p - start > 18) {
            throw error("expected an unsigned number");
        }
        return Long.parseLong(s.substring(start, p));
    }

    /**
     * A scalar token: a number ({@code -12}, {@code 1.5e-45}), {@code inf}, {@code -inf}, or
     * {@code NaN[bits=0x...]}. The callers validate its form.
     */
    String token() {
        skipSpaces();
        int start = p;
        while (p < s.length() && (isNameChar(s.charAt(p)) || s.charAt(p) == '-' || s.charAt(p) == '.'
                || s.charAt(p) == '+')) {
            p++;
        }
        if (s.startsWith("NaN", start) && p - start == 3 && p < s.length() && s.charAt(p) == '[') {
            int close = s.indexOf(']', p);
            if (close < 0) {
                throw error("unterminated NaN[...]");
            }
            p = close + 1;
        }
        if (start == p) {
            throw error("expected a scalar");
        }
        return s.substring(start, p);
    }

    /** A JSON-like string literal: ASCII, with \" \\ \/ \b \f \n \r \t and \\uXXXX escapes. */
    String stringLiteral() {
        skipSpaces();
        if (p >= s.length() || s.charAt(p) != '"') {
            throw error("expected a string literal");
        }
        p++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (p >= s.length()) {
                throw error("unterminated string literal");
            }
            char c = s.charAt(p++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20 || c > 0x7E) {
                throw error(String.format("character U+%04X in a string literal is not printable ASCII", (int) c));
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (p >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(p++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u': {
                    if (p + 4 > s.length() || !s.substring(p, p + 4).matches("[0-9a-fA-F]{4}")) {
                        throw error("bad \\u escape");
                    }
                    sb.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                    break;
                }
                default:
                    throw error("unknown escape \\" + e);
            }
        }
    }

    /** Fails unless everything was consumed. */
    void end() {
        skipSpaces();
        if (p != s.length()) {
            throw error("unexpected text after the end");
        }
    }
}
