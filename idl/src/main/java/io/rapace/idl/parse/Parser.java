package io.rapace.idl.parse;

import io.rapace.annotation.MethodKind;
import io.rapace.idl.model.MethodKinds;
import io.rapace.idl.model.PrimitiveType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recursive descent over the tokens of one file. A syntax error is reported once, then the item it is in is
 * abandoned up to the nearest recovery point: the next {@code ,} or the closing {@code }} in a list of fields or
 * variants, the next {@code ;} or the closing {@code }} in a service, the next {@code ;} or block end at the top
 * level. A missing {@code ,} or {@code ;} at the end of a line is reported and the parser carries on as if it were
 * there. Type nesting is limited to {@value #MAX_TYPE_DEPTH} levels, so no input can exhaust the stack.
 */
final class Parser {

    static final int MAX_TYPE_DEPTH = 64;

    private static final List<String> TOP_LEVEL_WORDS = List.of("struct", "enum", "service", "import", "package");
    private static final List<String> KIND_WORDS = List.of(
            "unary", "client_streaming", "server_streaming", "bidi_streaming");
    private static final String KINDS = "`unary`, `client_streaming`, `server_streaming` or `bidi_streaming`";
    private static final String STRAY_DOC = "this doc comment documents nothing; `///` goes right before a type,"
            + " field, variant, service or method";

    /** Abandons the current item after a syntax error; caught where the parser recovers. */
    private static final class Abandon extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandon() {
            super(null, null, false, false);
        }
    }

    private static final Abandon ABANDON = new Abandon();

    /** Where a recovery stops. */
    private enum Sync { TOP_LEVEL, LIST, METHODS }

    private final Source source;
    private final Reporter reporter;
    private final List<Token> tokens;
    private int pos;
    /** Braces consumed and not yet closed, so that recovery skips to the end of the right block. */
    private int openBraces;
    /** Other brackets ({@code ( [ <}) consumed and not yet closed. */
    private int openOthers;
    private int lastEnd;
    /**
     * A type whose name was read before its item was abandoned, kept (without fields or variants) so that its uses
     * do not become unknown-type errors too.
     */
    private Ast.TypeDef salvaged;

    private Parser(Source source, List<Token> tokens, Reporter reporter) {
        this.source = source;
        this.tokens = tokens;
        this.reporter = reporter;
    }

    /** Parses {@code source}, reporting lexical and syntax errors; never throws. */
    static Ast.File parse(Source source, Reporter reporter) {
        List<Token> tokens = Lexer.tokenize(source, reporter);
        return new Parser(source, tokens, reporter).file();
    }

    // ---------------------------------------------------------------- the file

    private Ast.File file() {
        Ast.Name packageName = null;
        boolean seenPackageKeyword = false;
        boolean seenOtherItem = false;
        boolean seenDeclaration = false;
        List<Ast.Import> imports = new ArrayList<>();
        List<Ast.Declaration> declarations = new ArrayList<>();
        while (true) {
            Ast.Docs docs = docs();
            Token token = peek();
            if (token.is(TokenKind.END)) {
                strayDocs(docs);
                break;
            }
            int start = pos;
            try {
                if (token.isWord("package")) {
                    strayDocs(docs);
                    seenPackageKeyword = true;
                    Ast.Name name = packageDeclaration();
                    if (packageName != null) {
                        error(token.start(), "duplicate package declaration; the package is already declared at "
                                + source.where(packageName.offset()));
                    } else {
                        if (seenOtherItem) {
                            error(token.start(), "the package declaration must come first, before imports, types"
                                    + " and services");
                        }
                        packageName = name;
                    }
                } else if (token.isWord("import")) {
                    strayDocs(docs);
                    seenOtherItem = true;
                    Ast.Import anImport = importDeclaration();
                    if (seenDeclaration) {
                        error(token.start(), "imports must come before the first type or service");
                    }
                    imports.add(anImport);
                } else if (token.isWord("struct") || token.isWord("enum") || token.isWord("service")) {
                    seenOtherItem = true;
                    seenDeclaration = true;
                    declarations.add(token.isWord("struct") ? struct(docs)
                            : token.isWord("enum") ? enumeration(docs) : service(docs));
                } else {
                    seenOtherItem = true;
                    strayDocs(docs);
                    throw topLevelError(token);
                }
            } catch (Abandon abandon) {
                if (salvaged != null) {
                    declarations.add(salvaged);
                    salvaged = null;
                }
                recover(Sync.TOP_LEVEL, 0, 0, start);
            }
        }
        if (packageName == null && !seenPackageKeyword) {
            Token first = firstNonDoc();
            error(first.is(TokenKind.END) ? 0 : first.start(),
                    "missing package declaration: a file starts with `package name;`");
        }
        return new Ast.File(source, packageName, List.copyOf(imports), List.copyOf(declarations));
    }

    private Abandon topLevelError(Token token) {
        if (token.is(TokenKind.IDENTIFIER) && MethodKinds.fromIdlKeyword(token.text()).isPresent()) {
            return fail(token, "a method must be declared inside a service: `service Name { "
                    + token.text() + " ... }`");
        }
        String suggestion = token.is(TokenKind.IDENTIFIER) ? Text.didYouMean(token.text(), TOP_LEVEL_WORDS) : "";
        return fail(token, "expected `struct`, `enum`, `service` or `import`, found " + token.describe()
                + suggestion);
    }

    private Ast.Name packageDeclaration() {
        advance();
        Ast.Name name = dottedName("a package name");
        terminator("the package declaration");
        return name;
    }

    private Ast.Import importDeclaration() {
        advance();
        Token path = peek();
        if (!path.is(TokenKind.STRING)) {
            throw fail(path, "expected the imported file as a string, as in `import \"common.rapace\";`, found "
                    + path.describe());
        }
        advance();
        terminator("the import");
        return new Ast.Import(path.value(), path.start(), !path.malformed());
    }

    // ---------------------------------------------------------------- structs and enums

    private Ast.StructDef struct(Ast.Docs docs) {
        advance();
        Ast.Name name = name("a struct name");
        salvaged = new Ast.StructDef(name, docs.text(), List.of(), true);
        Token next = peek();
        if (next.is(TokenKind.SEMICOLON)) {
            throw fail(next, "expected `{` after `struct " + name.text() + "`; an empty struct is written `struct "
                    + name.text() + " {}`");
        }
        if (next.is(TokenKind.LEFT_PAREN)) {
            throw fail(next, "tuple structs are not supported; name the fields, as in `struct " + name.text()
                    + " { name: type, ... }`");
        }
        expect(TokenKind.LEFT_BRACE, "`{` after `struct " + name.text() + "`");
        salvaged = null;
        List<Ast.FieldDef> fields = fields("struct `" + name.text() + "`");
        return new Ast.StructDef(name, docs.text(), fields, false);
    }

    /** The fields of a struct or a struct-like variant, after their {@code {}, up to and including the {@code }}. */
    private List<Ast.FieldDef> fields(String owner) {
        int open = lastEnd - 1;
        int braces = openBraces;
        int others = openOthers;
        List<Ast.FieldDef> fields = new ArrayList<>();
        while (true) {
            Ast.Docs docs = docs();
            Token token = peek();
            if (token.is(TokenKind.RIGHT_BRACE)) {
                strayDocs(docs);
                advance();
                break;
            }
            if (token.is(TokenKind.END)) {
                strayDocs(docs);
                unclosed(owner, open);
                break;
            }
            int start = pos;
            try {
                Ast.Name name = name("a field name or `}`");
                Token colon = peek();
                if (!colon.is(TokenKind.COLON)) {
                    throw fail(colon, "expected `:` and the type of field `" + name.text() + "`, found "
                            + colon.describe());
                }
                advance();
                Ast.Type type = type(0);
                fields.add(new Ast.FieldDef(name, docs.text(), type));
                separator("field `" + name.text() + "`");
            } catch (Abandon abandon) {
                recover(Sync.LIST, braces, others, start);
            }
        }
        return List.copyOf(fields);
    }

    /** After a field or variant: a {@code ,}, the closing {@code }}, or a reported missing comma. */
    private void separator(String item) {
        Token next = lookahead(0);
        if (next.is(TokenKind.COMMA)) {
            advance();
        } else if (next.is(TokenKind.RIGHT_BRACE)) {
            return;
        } else if (next.is(TokenKind.SEMICOLON)) {
            error(next.start(), "expected `,` after " + item + ", found `;`; fields and variants are separated by"
                    + " commas");
            advance();
        } else if (startsLaterLine(next) && !next.is(TokenKind.END)) {
            error(lastEnd, "expected `,` after " + item);
        } else {
            throw fail(next, "expected `,` or `}` after " + item + ", found " + next.describe());
        }
    }

    private Ast.EnumDef enumeration(Ast.Docs docs) {
        advance();
        Ast.Name name = name("an enum name");
        salvaged = new Ast.EnumDef(name, docs.text(), List.of(), true);
        expect(TokenKind.LEFT_BRACE, "`{` and the variants after `enum " + name.text() + "`");
        salvaged = null;
        int open = lastEnd - 1;
        int braces = openBraces;
        int others = openOthers;
        List<Ast.VariantDef> variants = new ArrayList<>();
        while (true) {
            Ast.Docs variantDocs = docs();
            Token token = peek();
            if (token.is(TokenKind.RIGHT_BRACE)) {
                strayDocs(variantDocs);
                advance();
                break;
            }
            if (token.is(TokenKind.END)) {
                strayDocs(variantDocs);
                unclosed("enum `" + name.text() + "`", open);
                break;
            }
            int start = pos;
            try {
                variants.add(variant(variantDocs));
                separator("variant `" + variants.get(variants.size() - 1).name().text() + "`");
            } catch (Abandon abandon) {
                recover(Sync.LIST, braces, others, start);
            }
        }
        return new Ast.EnumDef(name, docs.text(), List.copyOf(variants), false);
    }

    private Ast.VariantDef variant(Ast.Docs docs) {
        Ast.Name name = name("a variant name or `}`");
        Token next = peek();
        if (next.is(TokenKind.LEFT_BRACE)) {
            advance();
            List<Ast.FieldDef> fields = fields("variant `" + name.text() + "`");
            return new Ast.VariantDef(name, docs.text(), false, fields, false);
        }
        if (next.is(TokenKind.LEFT_PAREN)) {
            advance();
            List<Ast.Type> types = new ArrayList<>();
            while (!peek().is(TokenKind.RIGHT_PAREN)) {
                types.add(type(0));
                if (peek().is(TokenKind.COMMA)) {
                    advance();
                } else if (!peek().is(TokenKind.RIGHT_PAREN)) {
                    throw fail(peek(), "expected `,` or `)` in variant `" + name.text() + "`, found "
                            + peek().describe());
                }
            }
            advance();
            String suggestion = types.isEmpty() ? name.text() + " {}"
                    : name.text() + " { " + namedFields(types) + " }";
            error(name.offset(), "tuple-like variant `" + name.text() + "` is not supported; name the fields, as"
                    + " in `" + suggestion + "` (the bytes on the wire are the same)");
            return new Ast.VariantDef(name, docs.text(), true, List.of(), true);
        }
        if (next.is(TokenKind.EQUALS)) {
            error(next.start(), "a variant cannot be given a number; its number on the wire is its position in the"
                    + " enum, from 0");
            advance();
            if (peek().is(TokenKind.NUMBER)) {
                advance();
            }
            return new Ast.VariantDef(name, docs.text(), true, List.of(), true);
        }
        return new Ast.VariantDef(name, docs.text(), true, List.of(), false);
    }

    private static String namedFields(List<Ast.Type> types) {
        if (types.size() == 1) {
            return "value: " + Ast.render(types.get(0));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            text.append(i == 0 ? "" : ", ").append("value").append(i).append(": ").append(Ast.render(types.get(i)));
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- services and methods

    private Ast.ServiceDef service(Ast.Docs docs) {
        advance();
        Ast.Name name = name("a service name");
        Ast.Literal serviceName = null;
        if (peek().is(TokenKind.STRING)) {
            Token quoted = advance();
            serviceName = new Ast.Literal(quoted.value(), quoted.start(), !quoted.malformed());
        }
        Ast.Literal version = null;
        if (peek().isWord("version")) {
            advance();
            Token number = peek();
            if (!number.is(TokenKind.DOTTED_NUMBER) && !number.is(TokenKind.NUMBER)) {
                throw fail(number, "expected the service version after `version`, as in `version 1.0`, found "
                        + number.describe());
            }
            advance();
            version = new Ast.Literal(number.text(), number.start(), true);
        }
        Token brace = peek();
        if (!brace.is(TokenKind.LEFT_BRACE)) {
            String expected = serviceName == null && version == null ? "a quoted service name, `version` or `{`"
                    : version == null ? "`version` or `{`" : "`{`";
            throw fail(brace, "expected " + expected + " after `service " + name.text() + "`, found "
                    + brace.describe());
        }
        advance();
        int open = brace.start();
        int braces = openBraces;
        int others = openOthers;
        List<Ast.MethodDef> methods = new ArrayList<>();
        while (true) {
            Ast.Docs methodDocs = docs();
            Token token = peek();
            if (token.is(TokenKind.RIGHT_BRACE)) {
                strayDocs(methodDocs);
                advance();
                break;
            }
            if (token.is(TokenKind.END)) {
                strayDocs(methodDocs);
                unclosed("service `" + name.text() + "`", open);
                break;
            }
            int start = pos;
            try {
                methods.add(method(methodDocs));
            } catch (Abandon abandon) {
                recover(Sync.METHODS, braces, others, start);
            }
        }
        return new Ast.ServiceDef(name, docs.text(), serviceName, version, List.copyOf(methods));
    }

    private Ast.MethodDef method(Ast.Docs docs) {
        Token first = peek();
        if (!first.is(TokenKind.IDENTIFIER)) {
            throw fail(first, "expected a method, as in `unary name(Request) -> Response;`, or `}`, found "
                    + first.describe());
        }
        Optional<MethodKind> kind = MethodKinds.fromIdlKeyword(first.text());
        if (kind.isPresent()) {
            advance();
        } else {
            Token second = lookahead(1);
            if (second.is(TokenKind.DOT) || second.is(TokenKind.LEFT_PAREN)) {
                error(first.start(), "missing method kind: write " + KINDS + " before the method name");
            } else {
                error(first.start(), "unknown method kind " + first.describe() + "; the kinds are " + KINDS
                        + Text.didYouMean(first.text(), KIND_WORDS));
                advance();
            }
        }
        Ast.Name name = dottedName("a method name");
        String method = "method `" + name.text() + "`";
        expect(TokenKind.LEFT_PAREN, "`(` and the parameters of " + method);
        Ast.Params params = params(method);
        Ast.Type result = null;
        if (peek().is(TokenKind.ARROW)) {
            advance();
            result = type(0);
        }
        Ast.IdLiteral id = null;
        if (peek().is(TokenKind.EQUALS)) {
            advance();
            Token number = peek();
            if (!number.is(TokenKind.NUMBER)) {
                throw fail(number, "expected the method id, a decimal or 0x hex number, after `=`, found "
                        + number.describe());
            }
            advance();
            id = new Ast.IdLiteral(number.number(), number.text(), number.start());
        }
        Token end = lookahead(0);
        if (end.is(TokenKind.SEMICOLON)) {
            advance();
        } else if (end.is(TokenKind.RIGHT_BRACE) || (startsLaterLine(end) && !end.is(TokenKind.END))) {
            error(lastEnd, "expected `;` after " + method);
        } else {
            String expected = id != null ? "`;`" : result != null ? "`=` or `;`" : "`->`, `=` or `;`";
            throw fail(end, "expected " + expected + " after " + method + ", found " + end.describe());
        }
        return new Ast.MethodDef(first.start(), kind.orElse(null), name, params, result, id, docs.text());
    }

    /** The parameters after the {@code (}, up to and including the {@code )}. */
    private Ast.Params params(String method) {
        int open = lastEnd - 1;
        if (peek().is(TokenKind.RIGHT_PAREN)) {
            advance();
            return new Ast.NoParams(open);
        }
        List<Ast.ParamDef> named = new ArrayList<>();
        List<Ast.Type> unnamed = new ArrayList<>();
        boolean mixed = false;
        while (true) {
            Token token = peek();
            if (token.is(TokenKind.IDENTIFIER) && lookahead(1).is(TokenKind.COLON)) {
                advance();
                advance();
                named.add(new Ast.ParamDef(new Ast.Name(token.text(), token.start()), type(0)));
            } else {
                unnamed.add(type(0));
            }
            if (!mixed && !named.isEmpty() && !unnamed.isEmpty()) {
                mixed = true;
                error(token.start(), "cannot mix named and unnamed parameters; name every parameter, as in"
                        + " `(a: T, b: U)`");
            }
            Token next = peek();
            if (next.is(TokenKind.COMMA)) {
                advance();
                if (peek().is(TokenKind.RIGHT_PAREN)) {
                    advance();
                    break;
                }
            } else if (next.is(TokenKind.RIGHT_PAREN)) {
                advance();
                break;
            } else {
                throw fail(next, "expected `,` or `)` in the parameters of " + method + ", found "
                        + next.describe());
            }
        }
        if (mixed) {
            return new Ast.BrokenParams(List.copyOf(named), List.copyOf(unnamed));
        }
        if (unnamed.size() > 1) {
            error(unnamed.get(1).offset(), "a method takes one argument type or named parameters, not several"
                    + " types; name them, as in `(a: " + Ast.render(unnamed.get(0)) + ", b: "
                    + Ast.render(unnamed.get(1)) + ")`");
            return new Ast.BrokenParams(List.of(), List.copyOf(unnamed));
        }
        if (unnamed.size() == 1) {
            Ast.Type type = unnamed.get(0);
            return type instanceof Ast.UnitType ? new Ast.NoParams(type.offset()) : new Ast.SingleParam(type);
        }
        return new Ast.NamedParams(List.copyOf(named));
    }

    // ---------------------------------------------------------------- types

    private Ast.Type type(int depth) {
        Token token = peek();
        if (depth >= MAX_TYPE_DEPTH) {
            throw fail(token, "type nested too deeply: at most " + MAX_TYPE_DEPTH + " levels");
        }
        if (token.is(TokenKind.IDENTIFIER)) {
            advance();
            String word = token.text();
            if (word.equals("option") || word.equals("list")) {
                return generic(token, depth, 1);
            }
            if (word.equals("map")) {
                return generic(token, depth, 2);
            }
            Optional<PrimitiveType> primitive = PrimitiveType.fromIdlName(word);
            List<Ast.Type> arguments = typeArguments(depth);
            if (arguments != null) {
                error(token.start(), "type arguments are only for `option`, `list` and `map`; "
                        + Text.quote(word) + " takes none" + Text.didYouMean(word, List.of("option", "list", "map")));
                return new Ast.BrokenType(token.start());
            }
            return primitive.<Ast.Type>map(type -> new Ast.Builtin(type, token.start()))
                    .orElseGet(() -> new Ast.NamedType(new Ast.Name(word, token.start())));
        }
        if (token.is(TokenKind.LEFT_BRACKET)) {
            return array(depth);
        }
        if (token.is(TokenKind.LEFT_PAREN)) {
            advance();
            if (peek().is(TokenKind.RIGHT_PAREN)) {
                advance();
                return new Ast.UnitType(token.start());
            }
            while (true) {
                type(depth + 1);
                Token next = peek();
                if (next.is(TokenKind.COMMA)) {
                    advance();
                } else if (!next.is(TokenKind.RIGHT_PAREN)) {
                    throw fail(next, "expected `,` or `)`, found " + next.describe());
                }
                if (peek().is(TokenKind.RIGHT_PAREN)) {
                    advance();
                    break;
                }
            }
            error(token.start(), "tuple types are not supported; declare a struct with named fields");
            return new Ast.BrokenType(token.start());
        }
        throw fail(token, "expected a type, found " + token.describe());
    }

    private Ast.Type generic(Token name, int depth, int arity) {
        String word = name.text();
        String form = arity == 1 ? word + "<T>" : word + "<K, V>";
        List<Ast.Type> arguments = typeArguments(depth);
        if (arguments == null) {
            error(name.start(), "`" + word + "` needs " + (arity == 1 ? "a type argument" : "two type arguments")
                    + ": " + form);
            return new Ast.BrokenType(name.start());
        }
        if (arguments.size() != arity) {
            error(name.start(), "`" + word + "` takes " + (arity == 1 ? "one type argument" : "two type arguments")
                    + " (" + form + "), found " + arguments.size());
            return new Ast.BrokenType(name.start());
        }
        return switch (word) {
            case "option" -> new Ast.OptionType(arguments.get(0), name.start());
            case "list" -> new Ast.ListType(arguments.get(0), name.start());
            default -> new Ast.MapType(arguments.get(0), arguments.get(1), name.start());
        };
    }

    /** {@code <T, ...>} after a type name, or {@code null} when there is no {@code <}. */
    private List<Ast.Type> typeArguments(int depth) {
        if (!lookahead(0).is(TokenKind.LESS)) {
            return null;
        }
        advance();
        List<Ast.Type> arguments = new ArrayList<>();
        while (true) {
            arguments.add(type(depth + 1));
            Token next = peek();
            if (next.is(TokenKind.COMMA)) {
                advance();
                if (peek().is(TokenKind.GREATER)) {
                    advance();
                    return arguments;
                }
            } else if (next.is(TokenKind.GREATER)) {
                advance();
                return arguments;
            } else {
                throw fail(next, "expected `,` or `>` in the type arguments, found " + next.describe());
            }
        }
    }

    private Ast.Type array(int depth) {
        Token open = advance();
        Ast.Type element = type(depth + 1);
        Token next = peek();
        if (next.is(TokenKind.RIGHT_BRACKET)) {
            advance();
            error(open.start(), "a fixed array needs a length, as in `[" + Ast.render(element)
                    + "; 4]`; for any number of elements use `list<" + Ast.render(element) + ">`");
            return new Ast.BrokenType(open.start());
        }
        if (!next.is(TokenKind.SEMICOLON)) {
            throw fail(next, "expected `;` and the length of the fixed array, found " + next.describe());
        }
        advance();
        Token length = peek();
        if (!length.is(TokenKind.NUMBER)) {
            throw fail(length, "expected the length of the fixed array, a number, found " + length.describe());
        }
        advance();
        expect(TokenKind.RIGHT_BRACKET, "`]` to close the fixed array");
        if (length.number() == 0) {
            error(length.start(), "a fixed array has at least 1 element");
            return new Ast.BrokenType(open.start());
        }
        if (length.number() == Token.TOO_LARGE || length.number() > Integer.MAX_VALUE) {
            error(length.start(), "fixed array length " + Text.quote(length.text())
                    + " is too large; the most is 2147483647 (2^31-1)");
            return new Ast.BrokenType(open.start());
        }
        return new Ast.ArrayType(element, (int) length.number(), open.start());
    }

    // ---------------------------------------------------------------- names and terminators

    /** An identifier (keywords included: they may name fields, variants, methods and package segments). */
    private Ast.Name name(String expected) {
        Token token = peek();
        if (!token.is(TokenKind.IDENTIFIER)) {
            throw fail(token, "expected " + expected + ", found " + token.describe());
        }
        advance();
        return new Ast.Name(token.text(), token.start());
    }

    /** {@code a.b.c}, as one name. */
    private Ast.Name dottedName(String expected) {
        Ast.Name first = name(expected);
        StringBuilder text = new StringBuilder(first.text());
        while (lookahead(0).is(TokenKind.DOT)) {
            advance();
            text.append('.').append(name("a name after `.`").text());
        }
        return new Ast.Name(text.toString(), first.offset());
    }

    /** The {@code ;} ending a package or import declaration; a missing one at the end of a line is only reported. */
    private void terminator(String what) {
        Token next = lookahead(0);
        if (next.is(TokenKind.SEMICOLON)) {
            advance();
        } else if (startsLaterLine(next) || next.is(TokenKind.END)) {
            error(lastEnd, "expected `;` after " + what);
        } else {
            throw fail(next, "expected `;` after " + what + ", found " + next.describe());
        }
    }

    private void expect(TokenKind kind, String expected) {
        Token token = peek();
        if (!token.is(kind)) {
            throw fail(token, "expected " + expected + ", found " + token.describe());
        }
        advance();
    }

    private void unclosed(String owner, int open) {
        error(lastEnd, "unexpected end of file: " + owner + " opened at " + source.line(open) + ":"
                + source.column(open) + " has no closing `}`");
    }

    // ---------------------------------------------------------------- tokens

    /** The current token; doc comments in the way are reported as documenting nothing and skipped. */
    private Token peek() {
        while (tokens.get(pos).is(TokenKind.DOC)) {
            error(tokens.get(pos).start(), STRAY_DOC);
            pos++;
        }
        return tokens.get(pos);
    }

    /** The {@code n}-th token from here, not counting doc comments, without consuming or reporting anything. */
    private Token lookahead(int n) {
        int index = pos;
        int seen = 0;
        while (true) {
            Token token = tokens.get(index);
            if (token.is(TokenKind.END)) {
                return token;
            }
            if (!token.is(TokenKind.DOC)) {
                if (seen == n) {
                    return token;
                }
                seen++;
            }
            index++;
        }
    }

    private Token advance() {
        Token token = peek();
        if (!token.is(TokenKind.END)) {
            pos++;
            lastEnd = token.end();
            if (token.is(TokenKind.LEFT_BRACE)) {
                openBraces++;
            } else if (token.is(TokenKind.RIGHT_BRACE)) {
                openBraces = Math.max(0, openBraces - 1);
            } else if (token.kind().opens()) {
                openOthers++;
            } else if (token.kind().closes()) {
                openOthers = Math.max(0, openOthers - 1);
            }
        }
        return token;
    }

    /** The consecutive doc comments at the current token. */
    private Ast.Docs docs() {
        if (!tokens.get(pos).is(TokenKind.DOC)) {
            return Ast.Docs.NONE;
        }
        int offset = tokens.get(pos).start();
        StringBuilder text = new StringBuilder();
        boolean first = true;
        while (tokens.get(pos).is(TokenKind.DOC)) {
            if (!first) {
                text.append('\n');
            }
            first = false;
            text.append(tokens.get(pos).value());
            pos++;
        }
        return new Ast.Docs(text.toString(), offset);
    }

    private void strayDocs(Ast.Docs docs) {
        if (docs.isPresent()) {
            error(docs.offset(), STRAY_DOC);
        }
    }

    /** Whether {@code token} is on a later line than the end of the last token consumed. */
    private boolean startsLaterLine(Token token) {
        return source.line(token.start()) > source.line(lastEnd);
    }

    private Token firstNonDoc() {
        int index = 0;
        while (tokens.get(index).is(TokenKind.DOC)) {
            index++;
        }
        return tokens.get(index);
    }

    // ---------------------------------------------------------------- errors and recovery

    private void error(int offset, String message) {
        reporter.error(source, offset, message);
    }

    /**
     * Reports {@code message} at {@code token} and returns the exception that abandons the item. Nothing is reported
     * for an error the lexer already reported, nor for the end of the file inside a block, where the block's list
     * reports the missing {@code }} instead; the end of the file elsewhere is reported just after the last token.
     */
    private Abandon fail(Token token, String message) {
        if (token.is(TokenKind.END)) {
            if (openBraces == 0) {
                error(lastEnd, message);
            }
        } else if (!token.is(TokenKind.ERROR)) {
            error(token.start(), message);
        }
        return ABANDON;
    }

    /** Whether {@code token} surely starts the next item: a top-level keyword, or a method kind starting a line. */
    private boolean startsItem(Sync sync, Token token) {
        if (!token.is(TokenKind.IDENTIFIER)) {
            return false;
        }
        if (sync == Sync.TOP_LEVEL) {
            return TOP_LEVEL_WORDS.contains(token.text());
        }
        return sync == Sync.METHODS && KIND_WORDS.contains(token.text())
                && source.line(token.start()) > source.line(tokens.get(pos - 1).end());
    }

    /**
     * Skips what is left of an abandoned item: to the next {@code ;} (consumed) or block end at the top level, to the
     * next {@code ,} (consumed) or the list's {@code }} in fields and variants, to the next {@code ;} (consumed), the
     * service's {@code }} or a method kind starting a line among methods. Blocks opened inside the item are skipped
     * whole; a {@code }} also ends any other bracket left open before it.
     *
     * @param braces the braces open where the recovery point is
     * @param others the other brackets open there
     * @param start the token the abandoned item started at
     */
    private void recover(Sync sync, int braces, int others, int start) {
        int innerBraces = Math.max(0, openBraces - braces);
        int innerOthers = Math.max(0, openOthers - others);
        while (true) {
            Token token = tokens.get(pos);
            if (token.is(TokenKind.END)) {
                break;
            }
            if (token.is(TokenKind.DOC)) {
                pos++;
                continue;
            }
            if (token.is(TokenKind.RIGHT_BRACE) && innerBraces == 0) {
                if (sync == Sync.TOP_LEVEL) {
                    pos++;
                }
                break;
            }
            if (innerBraces == 0 && innerOthers == 0) {
                if (sync == Sync.LIST ? token.is(TokenKind.COMMA) : token.is(TokenKind.SEMICOLON)) {
                    pos++;
                    break;
                }
                if (pos > start && startsItem(sync, token)) {
                    break;
                }
            }
            if (token.is(TokenKind.LEFT_BRACE)) {
                innerBraces++;
            } else if (token.is(TokenKind.RIGHT_BRACE)) {
                innerBraces--;
                innerOthers = 0;
                if (innerBraces == 0 && sync == Sync.TOP_LEVEL) {
                    pos++;
                    break;
                }
            } else if (token.kind().opens()) {
                innerOthers++;
            } else if (token.kind().closes() && innerOthers > 0) {
                innerOthers--;
            }
            pos++;
        }
        openBraces = braces;
        openOthers = others;
        lastEnd = pos > 0 ? tokens.get(pos - 1).end() : 0;
    }
}
