package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every error rule of the language (docs/idl.md), each asserted as the whole formatted
 * diagnostic: place, message, source line and caret.
 */
class IdlDiagnosticsTest {

    /** Parses {@code source} as {@code t.rapace}, beside an {@code other.rapace} it may import. */
    private static void assertReports(String source, String expected) {
        ParseResult result = IdlParser.parseSources(new SourceText("t.rapace", source),
                new SourceText("other.rapace", "package other;\n"));
        assertEquals(expected, result.formattedDiagnostics());
    }

    private static void assertAccepts(String source) {
        ParseResult result = IdlParser.parse("t.rapace", source);
        assertTrue(result.succeeded(), result::formattedDiagnostics);
    }

    @Test
    void reportsEveryErrorInTheFile() {
        assertReports("""
                package p;
                struct A { a: u32, a: Strng }
                strcut B {}
                enum E {}
                service S {
                    unray m(A) = 0;
                    unary n(A, A);
                    unary o() -> Nope = 1000;
                    unary p() = 1000;
                }
                struct Node { next: Node }
                """, """
                t.rapace:2:20: duplicate field `a` in struct `A` (first declared at t.rapace:2:12)
                struct A { a: u32, a: Strng }
                                   ^
                t.rapace:2:23: unknown type `Strng`; did you mean `string`?
                struct A { a: u32, a: Strng }
                                      ^
                t.rapace:3:1: expected `struct`, `enum`, `service` or `import`, found `strcut`; did you mean `struct`?
                strcut B {}
                ^
                t.rapace:4:6: enum `E` has no variants; an enum needs at least one
                enum E {}
                     ^
                t.rapace:6:5: unknown method kind `unray`; the kinds are `unary`, `client_streaming`, `server_streaming` or `bidi_streaming`; did you mean `unary`?
                    unray m(A) = 0;
                    ^
                t.rapace:6:18: method id 0 is reserved; use 1 to 4294967295 (0xFFFFFFFF), or leave the id out for the default
                    unray m(A) = 0;
                                 ^
                t.rapace:7:16: a method takes one argument type or named parameters, not several types; name them, as in `(a: A, b: A)`
                    unary n(A, A);
                               ^
                t.rapace:8:18: unknown type `Nope`; did you mean `Node`?
                    unary o() -> Nope = 1000;
                                 ^
                t.rapace:9:17: duplicate method id 1000 (first used by o at t.rapace:8:5)
                    unary p() = 1000;
                                ^
                t.rapace:11:8: type `Node` has no finite value: every value contains another without end (Node.next -> Node); make a field on the way an option, list or map
                struct Node { next: Node }
                       ^
                """);
    }

    // ---------------------------------------------------------------- lexical

    @Test
    void rejectsNonAsciiCharactersOutsideStringsAndComments() {
        assertReports("""
                package p;
                // Comments may say café, and strings too:
                service S "caf\\u{e9}" {}
                struct Café { a: u32 }
                struct A { b: u32 ~ }
                """, """
                t.rapace:4:11: unexpected character `é`; identifiers are ASCII letters, digits and `_`
                struct Café { a: u32 }
                          ^
                t.rapace:5:19: unexpected character `~`
                struct A { b: u32 ~ }
                                  ^
                """);
    }

    @Test
    void rejectsAnUnterminatedBlockComment() {
        assertReports("""
                package p;
                /* not closed
                struct A {}
                """, """
                t.rapace:2:1: unterminated block comment: `/*` has no matching `*/`
                /* not closed
                ^
                """);
    }

    @Test
    void acceptsBlockCommentsThatDoNotNest() {
        assertAccepts("""
                package p; /* one /* two */
                struct /** not a doc */ A {}
                """);
    }

    @Test
    void rejectsAnUnterminatedString() {
        assertReports("""
                package p;
                service S "abc {
                }
                struct A {}
                """, """
                t.rapace:2:11: unterminated string: a string ends with `"` on the line it starts
                service S "abc {
                          ^
                """);
    }

    @Test
    void rejectsUnknownAndMalformedEscapes() {
        assertReports("""
                package p;
                service S "a\\qb" {}
                service T "a\\u{110000}" {}
                service U "a\\u{d800}" {}
                service V "a\\u12" {}
                service W "a\\u{12" {}
                service X "a\\u{1234567}" {}
                service Y "\\"quoted\\\\and\\u{1F600}" {}
                service Z "tab\\there" {}
                """, """
                t.rapace:2:13: unknown escape `\\q` in a string; the escapes are \\" \\\\ \\n \\r \\t and \\u{hex}
                service S "a\\qb" {}
                            ^
                t.rapace:3:13: invalid escape `\\u{110000}`: \\u{...} takes 1 to 6 hex digits naming a Unicode scalar value (not a surrogate, at most 10FFFF)
                service T "a\\u{110000}" {}
                            ^
                t.rapace:4:13: invalid escape `\\u{d800}`: \\u{...} takes 1 to 6 hex digits naming a Unicode scalar value (not a surrogate, at most 10FFFF)
                service U "a\\u{d800}" {}
                            ^
                t.rapace:5:13: `\\u` needs its code point in braces, as in \\u{e9}
                service V "a\\u12" {}
                            ^
                t.rapace:6:13: `\\u{` needs hex digits and a closing `}`, as in \\u{e9}
                service W "a\\u{12" {}
                            ^
                t.rapace:7:13: invalid escape `\\u{1234567}`: \\u{...} takes 1 to 6 hex digits naming a Unicode scalar value (not a surrogate, at most 10FFFF)
                service X "a\\u{1234567}" {}
                            ^
                t.rapace:9:11: the service name `tab\\there` contains a space or a control character
                service Z "tab\\there" {}
                          ^
                """);
    }

    @Test
    void rejectsMalformedNumbers() {
        assertReports("""
                package p;
                struct A { a: [u8; 12ab], b: [u8; 007], c: [u8; 0x], d: [u8; 0X10], e: [u8; 0x10] }
                """, """
                t.rapace:2:20: invalid number `12ab`: a number is decimal digits, or 0x and hex digits
                struct A { a: [u8; 12ab], b: [u8; 007], c: [u8; 0x], d: [u8; 0X10], e: [u8; 0x10] }
                                   ^
                t.rapace:2:35: number `007` has a leading zero; write decimal numbers without one, or hex as 0x...
                struct A { a: [u8; 12ab], b: [u8; 007], c: [u8; 0x], d: [u8; 0X10], e: [u8; 0x10] }
                                                  ^
                t.rapace:2:49: invalid number `0x`: a number is decimal digits, or 0x and hex digits
                struct A { a: [u8; 12ab], b: [u8; 007], c: [u8; 0x], d: [u8; 0X10], e: [u8; 0x10] }
                                                                ^
                t.rapace:2:62: invalid number `0X10`: a number is decimal digits, or 0x and hex digits
                struct A { a: [u8; 12ab], b: [u8; 007], c: [u8; 0x], d: [u8; 0X10], e: [u8; 0x10] }
                                                                             ^
                """);
    }

    @Test
    void rejectsDocCommentsThatDocumentNothing() {
        assertReports("""
                /// before the package
                package p;
                /// before an import
                import "other.rapace";
                struct A {
                    a: u32,
                    /// after the last field
                }
                enum E { X, /// after the last variant
                }
                service S {
                    unary m(/// inside a method
                        u8);
                }
                /// at the end
                """, """
                t.rapace:1:1: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                /// before the package
                ^
                t.rapace:3:1: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                /// before an import
                ^
                t.rapace:7:5: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                    /// after the last field
                    ^
                t.rapace:9:13: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                enum E { X, /// after the last variant
                            ^
                t.rapace:12:13: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                    unary m(/// inside a method
                            ^
                t.rapace:15:1: this doc comment documents nothing; `///` goes right before a type, field, variant, service or method
                /// at the end
                ^
                """);
    }

    // ---------------------------------------------------------------- structure

    @Test
    void requiresAPackageDeclaration() {
        assertReports("""
                struct A {}
                """, """
                t.rapace:1:1: missing package declaration: a file starts with `package name;`
                struct A {}
                ^
                """);
    }

    @Test
    void requiresAPackageDeclarationInAnEmptyFile() {
        assertReports("", """
                t.rapace:1:1: missing package declaration: a file starts with `package name;`

                ^
                """);
    }

    @Test
    void requiresThePackageDeclarationFirstAndOnce() {
        assertReports("""
                struct A {}
                package p;
                package q;
                """, """
                t.rapace:2:1: the package declaration must come first, before imports, types and services
                package p;
                ^
                t.rapace:3:1: duplicate package declaration; the package is already declared at t.rapace:2:9
                package q;
                ^
                """);
    }

    @Test
    void requiresImportsBeforeTypesAndServices() {
        assertReports("""
                package p;
                struct A {}
                import "other.rapace";
                """, """
                t.rapace:3:1: imports must come before the first type or service
                import "other.rapace";
                ^
                """);
    }

    @Test
    void suggestsTheNearestKeywordForAnUnknownItem() {
        assertReports("""
                package p;
                strcut A {}
                sevrice S {}
                unary m();
                42;
                struct B {}
                """, """
                t.rapace:2:1: expected `struct`, `enum`, `service` or `import`, found `strcut`; did you mean `struct`?
                strcut A {}
                ^
                t.rapace:3:1: expected `struct`, `enum`, `service` or `import`, found `sevrice`; did you mean `service`?
                sevrice S {}
                ^
                t.rapace:4:1: a method must be declared inside a service: `service Name { unary ... }`
                unary m();
                ^
                t.rapace:5:1: expected `struct`, `enum`, `service` or `import`, found `42`
                42;
                ^
                """);
    }

    @Test
    void reportsMissingSeparatorsAndCarriesOn() {
        assertReports("""
                package p
                import "other.rapace"
                struct A {
                    a: u32
                    b: u32
                }
                struct B { a: u32; b: u32 }
                struct C { a: u32 b: u32, c: Nope }
                service S {
                    unary a()
                    unary b();
                    unary c() }
                """, """
                t.rapace:1:10: expected `;` after the package declaration
                package p
                         ^
                t.rapace:2:22: expected `;` after the import
                import "other.rapace"
                                     ^
                t.rapace:4:11: expected `,` after field `a`
                    a: u32
                          ^
                t.rapace:7:18: expected `,` after field `a`, found `;`; fields and variants are separated by commas
                struct B { a: u32; b: u32 }
                                 ^
                t.rapace:8:19: expected `,` or `}` after field `a`, found `b`
                struct C { a: u32 b: u32, c: Nope }
                                  ^
                t.rapace:8:30: unknown type `Nope`
                struct C { a: u32 b: u32, c: Nope }
                                             ^
                t.rapace:10:14: expected `;` after method `a`
                    unary a()
                             ^
                t.rapace:12:14: expected `;` after method `c`
                    unary c() }
                             ^
                """);
    }

    @Test
    void reportsABlockLeftOpenAtTheEndOfTheFile() {
        assertReports("""
                package p;
                struct A {
                    a: u32,
                """, """
                t.rapace:3:12: unexpected end of file: struct `A` opened at 2:10 has no closing `}`
                    a: u32,
                           ^
                """);
    }

    @Test
    void rejectsUnitAndTupleStructsWithoutCascadingToTheirUses() {
        assertReports("""
                package p;
                struct S;
                struct T(u32);
                struct Empty {}
                enum E
                struct U { s: S, t: T, e: map<E, Empty> }
                """, """
                t.rapace:2:9: expected `{` after `struct S`; an empty struct is written `struct S {}`
                struct S;
                        ^
                t.rapace:3:9: tuple structs are not supported; name the fields, as in `struct T { name: type, ... }`
                struct T(u32);
                        ^
                t.rapace:6:1: expected `{` and the variants after `enum E`, found `struct`
                struct U { s: S, t: T, e: map<E, Empty> }
                ^
                """);
    }

    // ---------------------------------------------------------------- names

    @Test
    void keepsKeywordsAndBuiltInTypeNamesFromNamingTypesAndServices() {
        assertReports("""
                package p;
                struct struct {}
                struct string {}
                enum version { A }
                service option {}
                struct Ok { struct: u32, service: u32, string: u32, enum: u32 }
                enum Ok2 { struct, unary, string }
                service Ok3 { unary unary(); unary struct.string(); }
                """, """
                t.rapace:2:8: `struct` is a keyword and cannot name a type
                struct struct {}
                       ^
                t.rapace:3:8: `string` is a built-in type and cannot name a type
                struct string {}
                       ^
                t.rapace:4:6: `version` is a keyword and cannot name a type
                enum version { A }
                     ^
                t.rapace:5:9: `option` is a built-in type and cannot name a service
                service option {}
                        ^
                """);
    }

    @Test
    void reportsDuplicatesWhereTheyOccurSecond() {
        assertReports("""
                package p;
                struct A { a: u32, b: u32, a: string }
                enum A { X }
                enum B { X, Y, X }
                service S {
                    unary m() = 1;
                    unary m() = 2;
                    unary n(a: u8, a: u8) = 3;
                }
                service S {}
                """, """
                t.rapace:2:28: duplicate field `a` in struct `A` (first declared at t.rapace:2:12)
                struct A { a: u32, b: u32, a: string }
                                           ^
                t.rapace:3:6: duplicate type `A` in package `p` (first declared at t.rapace:2:8)
                enum A { X }
                     ^
                t.rapace:4:16: duplicate variant `X` in enum `B` (first declared at t.rapace:4:10)
                enum B { X, Y, X }
                               ^
                t.rapace:7:11: duplicate method `m` in service `S` (first declared at t.rapace:6:11)
                    unary m() = 2;
                          ^
                t.rapace:8:20: duplicate parameter `a` in method `n` (first declared at t.rapace:8:13)
                    unary n(a: u8, a: u8) = 3;
                                   ^
                t.rapace:10:9: duplicate service `S` in package `p` (first declared at t.rapace:5:9)
                service S {}
                        ^
                """);
    }

    @Test
    void reportsTwoNamesOfOneScopeThatBecomeOneJavaName() {
        assertReports("""
                package p;
                struct A { plugin_id: u32, pluginId: u32 }
                enum B { Foo, FOO }
                enum C { class { a: u8 }, class_ }
                struct class {}
                struct class_ {}
                service S {
                    unary Logger.log();
                    unary logger_log();
                    unary m(b_c: u8, bC: u8);
                    unary to_string();
                    unary toString_();
                }
                """, """
                t.rapace:2:28: field `pluginId` and field `plugin_id` (at t.rapace:2:12) both become `pluginId` in Java
                struct A { plugin_id: u32, pluginId: u32 }
                                           ^
                t.rapace:3:15: variant `FOO` and variant `Foo` (at t.rapace:3:10) both become `FOO` in Java
                enum B { Foo, FOO }
                              ^
                t.rapace:4:27: variant `class_` and variant `class` (at t.rapace:4:10) both become `class_` in Java
                enum C { class { a: u8 }, class_ }
                                          ^
                t.rapace:6:8: struct `class_` and struct `class` (at t.rapace:5:8) both become the Java class `p.class_`
                struct class_ {}
                       ^
                t.rapace:9:11: method `logger_log` and method `Logger.log` (at t.rapace:8:11) both become `loggerLog` in Java
                    unary logger_log();
                          ^
                t.rapace:10:22: parameter `bC` and parameter `b_c` (at t.rapace:10:13) both become `bC` in Java
                    unary m(b_c: u8, bC: u8);
                                     ^
                t.rapace:12:11: method `toString_` and method `to_string` (at t.rapace:11:11) both become `toString_` in Java
                    unary toString_();
                          ^
                """);
    }

    @Test
    void reportsClashesWithTheClassesGeneratedForAService() {
        assertReports("""
                package p;
                struct Echo {}
                service Echo {}
                service Foo {}
                struct FooDispatcher {}
                struct BarDescriptor {}
                service Bar {}
                """, """
                t.rapace:3:9: `Echo` is already declared in package `p`: struct `Echo` at t.rapace:2:8
                service Echo {}
                        ^
                t.rapace:5:8: struct `FooDispatcher` clashes with the class `FooDispatcher` generated for service `Foo` at t.rapace:4:9
                struct FooDispatcher {}
                       ^
                t.rapace:7:9: service `Bar` generates the class `BarDescriptor`, which struct `BarDescriptor` at t.rapace:6:8 already names
                service Bar {}
                        ^
                """);
    }

    @Test
    void reportsClashesWithTheCodecGeneratedForAType() {
        assertReports("""
                package p;
                struct Foo {}
                enum FooCodec { A }
                struct BarCodec {}
                enum Bar { A }
                service Baz {}
                struct BazCodec {}
                """, """
                t.rapace:3:6: enum `FooCodec` clashes with the class `FooCodec` generated for struct `Foo` at t.rapace:2:8
                enum FooCodec { A }
                     ^
                t.rapace:5:6: enum `Bar` generates the class `BarCodec`, which struct `BarCodec` at t.rapace:4:8 already names
                enum Bar { A }
                     ^
                """);
    }

    @Test
    void rejectsAVariantNamedLikeItsEnum() {
        assertReports("""
                package p;
                enum Shape { Circle { r: f64 }, Shape }
                """, """
                t.rapace:2:33: variant `Shape` has the name of its enum; a variant cannot be named like the enum it is in
                enum Shape { Circle { r: f64 }, Shape }
                                                ^
                """);
    }

    @Test
    void suggestsTheNearestNameForAnUnknownType() {
        assertReports("""
                package p;
                struct LogRequest { a: u8 }
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                service Echo {}
                """, """
                t.rapace:3:15: unknown type `LogReqest`; did you mean `LogRequest`?
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                              ^
                t.rapace:3:29: unknown type `Strng`; did you mean `string`?
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                                            ^
                t.rapace:3:39: unknown type `strng`; did you mean `string`?
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                                                      ^
                t.rapace:3:49: `Echo` is a service, not a type
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                                                                ^
                t.rapace:3:58: type arguments are only for `option`, `list` and `map`; `Map` takes none; did you mean `map`?
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                                                                         ^
                t.rapace:3:74: unknown type `Completely`
                struct B { a: LogReqest, b: Strng, c: strng, d: Echo, e: Map<u8, u8>, f: Completely }
                                                                                         ^
                """);
    }

    // ---------------------------------------------------------------- types

    @Test
    void rejectsAnEmptyEnum() {
        assertReports("""
                package p;
                enum E {}
                struct Empty {}
                """, """
                t.rapace:2:6: enum `E` has no variants; an enum needs at least one
                enum E {}
                     ^
                """);
    }

    @Test
    void rejectsTupleLikeVariantsSayingToNameTheFields() {
        assertReports("""
                package p;
                enum Shape {
                    Circle(f64),
                    Rect(f64, option<f64>),
                    Nothing(),
                    Poly { sides: u32 },
                }
                """, """
                t.rapace:3:5: tuple-like variant `Circle` is not supported; name the fields, as in `Circle { value: f64 }` (the bytes on the wire are the same)
                    Circle(f64),
                    ^
                t.rapace:4:5: tuple-like variant `Rect` is not supported; name the fields, as in `Rect { value0: f64, value1: option<f64> }` (the bytes on the wire are the same)
                    Rect(f64, option<f64>),
                    ^
                t.rapace:5:5: tuple-like variant `Nothing` is not supported; name the fields, as in `Nothing {}` (the bytes on the wire are the same)
                    Nothing(),
                    ^
                """);
    }

    @Test
    void rejectsNumberedVariants() {
        assertReports("""
                package p;
                enum E { A = 1, B }
                """, """
                t.rapace:2:12: a variant cannot be given a number; its number on the wire is its position in the enum, from 0
                enum E { A = 1, B }
                           ^
                """);
    }

    @Test
    void checksTypeArguments() {
        assertReports("""
                package p;
                struct A {
                    a: option,
                    b: map<u8>,
                    c: list<u8, u8>,
                    d: string<u8>,
                    e: A<u8>,
                    f: list<u8,>,
                }
                """, """
                t.rapace:3:8: `option` needs a type argument: option<T>
                    a: option,
                       ^
                t.rapace:4:8: `map` takes two type arguments (map<K, V>), found 1
                    b: map<u8>,
                       ^
                t.rapace:5:8: `list` takes one type argument (list<T>), found 2
                    c: list<u8, u8>,
                       ^
                t.rapace:6:8: type arguments are only for `option`, `list` and `map`; `string` takes none
                    d: string<u8>,
                       ^
                t.rapace:7:8: type arguments are only for `option`, `list` and `map`; `A` takes none
                    e: A<u8>,
                       ^
                """);
    }

    @Test
    void checksFixedArrayLengths() {
        assertReports("""
                package p;
                struct A {
                    a: [u8],
                    b: [u8; 0],
                    c: [u8; 2147483648],
                    d: [u8; 0xFFFFFFFFFFFFFFFFFF],
                    e: [u8; 2147483647],
                    f: [u8; 0x7FFFFFFF],
                }
                """, """
                t.rapace:3:8: a fixed array needs a length, as in `[u8; 4]`; for any number of elements use `list<u8>`
                    a: [u8],
                       ^
                t.rapace:4:13: a fixed array has at least 1 element
                    b: [u8; 0],
                            ^
                t.rapace:5:13: fixed array length `2147483648` is too large; the most is 2147483647 (2^31-1)
                    c: [u8; 2147483648],
                            ^
                t.rapace:6:13: fixed array length `0xFFFFFFFFFFFFFFFFFF` is too large; the most is 2147483647 (2^31-1)
                    d: [u8; 0xFFFFFFFFFFFFFFFFFF],
                            ^
                """);
    }

    @Test
    void rejectsTupleTypes() {
        assertReports("""
                package p;
                struct A { a: (u8, string), b: list<(u8, u8)> }
                """, """
                t.rapace:2:15: tuple types are not supported; declare a struct with named fields
                struct A { a: (u8, string), b: list<(u8, u8)> }
                              ^
                t.rapace:2:37: tuple types are not supported; declare a struct with named fields
                struct A { a: (u8, string), b: list<(u8, u8)> }
                                                    ^
                """);
    }

    @Test
    void limitsTypeNesting() {
        assertReports("package p;\nstruct A {\n    a: " + "list<\n".repeat(70) + "u8" + ">".repeat(70)
                + ",\n    b: Nope,\n}\n",
                """
                t.rapace:67:1: type nested too deeply: at most 64 levels
                list<
                ^
                t.rapace:74:8: unknown type `Nope`
                    b: Nope,
                       ^
                """);
    }

    @Test
    void rejectsTypesWithNoFiniteValue() {
        assertReports("""
                package p;
                struct Node { next: Node }
                struct A { b: B }
                struct B { a: A }
                struct Holder { node: Node }
                struct Arr { x: [Arr; 2] }
                enum Expr { Add { l: Expr, r: Expr }, Neg { e: Expr } }
                struct OkTree { children: list<OkTree>, parent: option<OkTree>, m: map<string, OkTree> }
                enum OkExpr { Lit { v: i64 }, Add { l: OkExpr, r: OkExpr } }
                struct UsesOk { e: OkExpr, pair: [OkExpr; 2] }
                """, """
                t.rapace:2:8: type `Node` has no finite value: every value contains another without end (Node.next -> Node); make a field on the way an option, list or map
                struct Node { next: Node }
                       ^
                t.rapace:3:8: type `A` has no finite value: every value contains another without end (A.b -> B.a -> A); make a field on the way an option, list or map
                struct A { b: B }
                       ^
                t.rapace:4:8: type `B` has no finite value: every value contains another without end (B.a -> A.b -> B); make a field on the way an option, list or map
                struct B { a: A }
                       ^
                t.rapace:5:8: type `Holder` has no finite value: every value contains another without end (Holder.node -> Node.next -> Node); make a field on the way an option, list or map
                struct Holder { node: Node }
                       ^
                t.rapace:6:8: type `Arr` has no finite value: every value contains another without end (Arr.x -> Arr); make a field on the way an option, list or map
                struct Arr { x: [Arr; 2] }
                       ^
                t.rapace:7:6: type `Expr` has no finite value: every value contains another without end (Expr.Add.l -> Expr); make a field on the way an option, list or map
                enum Expr { Add { l: Expr, r: Expr }, Neg { e: Expr } }
                     ^
                """);
    }

    @Test
    void allowsUnitOnlyAsAWholeArgumentOrResult() {
        assertReports("""
                package p;
                struct A { a: (), b: option<()> }
                enum E { V { x: () } }
                service S {
                    unary ok(()) -> ();
                    unary f(x: ());
                    unary g(list<()>);
                    unary h() -> map<string, ()>;
                }
                """, """
                t.rapace:2:15: `()` can only be a whole method argument or result, not the type of a field
                struct A { a: (), b: option<()> }
                              ^
                t.rapace:2:29: `()` can only be a whole method argument or result, not part of another type
                struct A { a: (), b: option<()> }
                                            ^
                t.rapace:3:17: `()` can only be a whole method argument or result, not the type of a field
                enum E { V { x: () } }
                                ^
                t.rapace:6:16: `()` can only be a whole method argument or result, not the type of a parameter
                    unary f(x: ());
                               ^
                t.rapace:7:18: `()` can only be a whole method argument or result, not part of another type
                    unary g(list<()>);
                                 ^
                t.rapace:8:30: `()` can only be a whole method argument or result, not part of another type
                    unary h() -> map<string, ()>;
                                             ^
                """);
    }

    @Test
    void restrictsMapKeys() {
        assertReports("""
                package p;
                struct P { x: u8 }
                enum Unit { A, B }
                enum Data { A { x: u8 }, B }
                struct M {
                    a: map<f64, u8>,
                    b: map<bytes, u8>,
                    c: map<P, u8>,
                    d: map<Data, u8>,
                    e: map<list<u8>, u8>,
                    f: map<option<u8>, u8>,
                    g: map<[u8; 2], u8>,
                }
                struct Ok {
                    a: map<u8, u8>, b: map<i128, u8>, c: map<bool, u8>, d: map<string, u8>,
                    e: map<char, u8>, f: map<Unit, u8>, g: map<u64, map<string, list<u8>>>,
                }
                """, """
                t.rapace:6:12: unsupported map key `f64`; keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    a: map<f64, u8>,
                           ^
                t.rapace:7:12: unsupported map key `bytes`; keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    b: map<bytes, u8>,
                           ^
                t.rapace:8:12: unsupported map key `P`, a struct (at t.rapace:2:8); keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    c: map<P, u8>,
                           ^
                t.rapace:9:12: unsupported map key `Data`, an enum with data (at t.rapace:4:6); keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    d: map<Data, u8>,
                           ^
                t.rapace:10:12: unsupported map key `list<u8>`; keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    e: map<list<u8>, u8>,
                           ^
                t.rapace:11:12: unsupported map key `option<u8>`; keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    f: map<option<u8>, u8>,
                           ^
                t.rapace:12:12: unsupported map key `[u8; 2]`; keys are integers, `bool`, `string`, `char` or enums with unit variants only
                    g: map<[u8; 2], u8>,
                           ^
                """);
    }

    // ---------------------------------------------------------------- methods and services

    @Test
    void rejectsSeveralUnnamedParametersAndMixedParameters() {
        assertReports("""
                package p;
                service S {
                    unary a(x: u8, u16);
                    unary b(u8, y: u16);
                    unary c(u8, u16, u32);
                }
                """, """
                t.rapace:3:20: cannot mix named and unnamed parameters; name every parameter, as in `(a: T, b: U)`
                    unary a(x: u8, u16);
                                   ^
                t.rapace:4:17: cannot mix named and unnamed parameters; name every parameter, as in `(a: T, b: U)`
                    unary b(u8, y: u16);
                                ^
                t.rapace:5:17: a method takes one argument type or named parameters, not several types; name them, as in `(a: u8, b: u16)`
                    unary c(u8, u16, u32);
                                ^
                """);
    }

    @Test
    void reportsUnknownAndMissingMethodKinds() {
        assertReports("""
                package p;
                service S {
                    unray a();
                    rpc b();
                    Logger.log(u8);
                    server_stream c() -> u8;
                }
                """, """
                t.rapace:3:5: unknown method kind `unray`; the kinds are `unary`, `client_streaming`, `server_streaming` or `bidi_streaming`; did you mean `unary`?
                    unray a();
                    ^
                t.rapace:4:5: unknown method kind `rpc`; the kinds are `unary`, `client_streaming`, `server_streaming` or `bidi_streaming`
                    rpc b();
                    ^
                t.rapace:5:5: missing method kind: write `unary`, `client_streaming`, `server_streaming` or `bidi_streaming` before the method name
                    Logger.log(u8);
                    ^
                t.rapace:6:5: unknown method kind `server_stream`; the kinds are `unary`, `client_streaming`, `server_streaming` or `bidi_streaming`; did you mean `server_streaming`?
                    server_stream c() -> u8;
                    ^
                """);
    }

    @Test
    void requiresAnElementTypeOnEachStreamedSide() {
        assertReports("""
                package p;
                service S {
                    client_streaming up();
                    client_streaming up2(a: u8, b: u8);
                    server_streaming down(u8);
                    server_streaming down2(u8) -> ();
                    bidi_streaming both();
                    client_streaming ok1(u8);
                    server_streaming ok2() -> u8;
                    bidi_streaming ok3(u8) -> u8;
                    client_streaming ok4(u8) -> ();
                }
                """, """
                t.rapace:3:22: client_streaming method `up` needs the element type of its request stream, as in `up(T)`
                    client_streaming up();
                                     ^
                t.rapace:4:26: client_streaming method `up2` streams one element type, not named parameters; write `up2(T)` with a struct T holding them
                    client_streaming up2(a: u8, b: u8);
                                         ^
                t.rapace:5:22: server_streaming method `down` needs the element type of its response stream, as in `-> T`
                    server_streaming down(u8);
                                     ^
                t.rapace:6:35: server_streaming method `down2` needs the element type of its response stream, as in `-> T`
                    server_streaming down2(u8) -> ();
                                                  ^
                t.rapace:7:20: bidi_streaming method `both` needs the element type of its request stream, as in `both(T)`
                    bidi_streaming both();
                                   ^
                t.rapace:7:20: bidi_streaming method `both` needs the element type of its response stream, as in `-> T`
                    bidi_streaming both();
                                   ^
                """);
    }

    @Test
    void checksTheRangeOfMethodIds() {
        assertReports("""
                package p;
                service S {
                    unary a() = 0;
                    unary b() = 0x0;
                    unary c() = 4294967296;
                    unary d() = 0x100000000;
                    unary e() = 99999999999999999999999;
                    unary f() = 4294967295;
                    unary g() = 1;
                    unary h() = 1.5;
                }
                """, """
                t.rapace:3:17: method id 0 is reserved; use 1 to 4294967295 (0xFFFFFFFF), or leave the id out for the default
                    unary a() = 0;
                                ^
                t.rapace:4:17: method id 0 is reserved; use 1 to 4294967295 (0xFFFFFFFF), or leave the id out for the default
                    unary b() = 0x0;
                                ^
                t.rapace:5:17: method id `4294967296` is out of range; ids are unsigned 32-bit numbers, 1 to 4294967295 (0xFFFFFFFF)
                    unary c() = 4294967296;
                                ^
                t.rapace:6:17: method id `0x100000000` is out of range; ids are unsigned 32-bit numbers, 1 to 4294967295 (0xFFFFFFFF)
                    unary d() = 0x100000000;
                                ^
                t.rapace:7:17: method id `99999999999999999999999` is out of range; ids are unsigned 32-bit numbers, 1 to 4294967295 (0xFFFFFFFF)
                    unary e() = 99999999999999999999999;
                                ^
                t.rapace:10:17: expected the method id, a decimal or 0x hex number, after `=`, found `1.5`
                    unary h() = 1.5;
                                ^
                """);
    }

    @Test
    void reportsDuplicateMethodIdsNamingTheFirstUse() {
        assertReports("""
                package p;
                service Echo {
                    unary echo();
                    unary f() = 1000;
                    unary g() = 0x3E8;
                    unary h() = 0x3E895C50;
                }
                service Other {
                    unary x() = 1000;
                    unary y() = 0x3E895C50;
                }
                service Third {
                    unary z() = 0xCAFE;
                    unary Echo.echo();
                }
                service Echo2 "p.Echo2" { unary first() = 0x3E895C50; }
                """, """
                t.rapace:5:17: duplicate method id 1000 (first used by f at t.rapace:4:5)
                    unary g() = 0x3E8;
                                ^
                t.rapace:6:17: duplicate method id 1049189456 (first used by echo (as its default id) at t.rapace:3:5)
                    unary h() = 0x3E895C50;
                                ^
                t.rapace:9:17: duplicate method id 1000 (first used by f in service Echo at t.rapace:4:5)
                    unary x() = 1000;
                                ^
                t.rapace:10:17: duplicate method id 1049189456 (first used by echo in service Echo (as its default id) at t.rapace:3:5)
                    unary y() = 0x3E895C50;
                                ^
                t.rapace:16:43: duplicate method id 1049189456 (first used by echo in service Echo (as its default id) at t.rapace:3:5)
                service Echo2 "p.Echo2" { unary first() = 0x3E895C50; }
                                                          ^
                """);
    }

    @Test
    void reportsAnUnknownTypeAndADuplicateIdOfOneMethodBoth() {
        assertReports("""
                package p;
                service S {
                    unary first() = 7;
                    unary second() -> Set<string> = 7;
                    unary third(when: Date);
                    unary first(string);
                }
                """, """
                t.rapace:4:23: type arguments are only for `option`, `list` and `map`; `Set` takes none
                    unary second() -> Set<string> = 7;
                                      ^
                t.rapace:4:37: duplicate method id 7 (first used by first at t.rapace:3:5)
                    unary second() -> Set<string> = 7;
                                                    ^
                t.rapace:5:23: unknown type `Date`
                    unary third(when: Date);
                                      ^
                t.rapace:6:11: duplicate method `first` in service `S` (first declared at t.rapace:3:11)
                    unary first(string);
                          ^
                """);
    }

    @Test
    void reportsADefaultIdThatAnExplicitIdAlreadyUses() {
        assertReports("""
                package p;
                service Echo {
                    unary other() = 0x3E895C50;
                    unary echo();
                }
                """, """
                t.rapace:4:11: duplicate method id 1049189456 (the default id of Echo.echo; first used by other at t.rapace:3:5)
                    unary echo();
                          ^
                """);
    }

    @Test
    void reportsDuplicateServiceNames() {
        assertReports("""
                package p;
                service A "rapace.Svc" {}
                service B "rapace.Svc" {}
                service C "p.D" {}
                service D {}
                """, """
                t.rapace:3:11: duplicate service name `rapace.Svc` (first used by service `A` at t.rapace:2:9)
                service B "rapace.Svc" {}
                          ^
                t.rapace:5:9: duplicate service name `p.D` (first used by service `C` at t.rapace:4:9)
                service D {}
                        ^
                """);
    }

    @Test
    void checksServiceNamesAndVersions() {
        assertReports("""
                package p;
                service E "" {}
                service F "a b" {}
                service G version 01.0 {}
                service H version 1 {}
                service I version 1.2.3 {}
                service J "x" version 2.15 {}
                service K version "1.0" {}
                service L version 1.0 "x" {}
                service M version 1.00 {}
                """, """
                t.rapace:2:11: the service name is empty; leave it out for the default `p.E`
                service E "" {}
                          ^
                t.rapace:3:11: the service name `a b` contains a space or a control character
                service F "a b" {}
                          ^
                t.rapace:4:19: version `01.0` is not MAJOR.MINOR (two numbers without leading zeros), as in `version 1.0`
                service G version 01.0 {}
                                  ^
                t.rapace:5:19: version `1` is not MAJOR.MINOR (two numbers without leading zeros), as in `version 1.0`
                service H version 1 {}
                                  ^
                t.rapace:6:19: version `1.2.3` is not MAJOR.MINOR (two numbers without leading zeros), as in `version 1.0`
                service I version 1.2.3 {}
                                  ^
                t.rapace:8:19: expected the service version after `version`, as in `version 1.0`, found `"1.0"`
                service K version "1.0" {}
                                  ^
                t.rapace:9:23: expected `{` after `service L`, found `"x"`
                service L version 1.0 "x" {}
                                      ^
                t.rapace:10:19: version `1.00` is not MAJOR.MINOR (two numbers without leading zeros), as in `version 1.0`
                service M version 1.00 {}
                                  ^
                """);
    }
}
