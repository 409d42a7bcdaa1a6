package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.idl.model.Schema;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeName;
import io.rapace.idl.model.TypeRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports: relative paths, not transitive, missing files and cycles reported at the import; files on disk. */
class IdlImportsTest {

    private static SourceText source(String name, String text) {
        return new SourceText(name, text);
    }

    private static void assertReports(String expected, SourceText... sources) {
        assertEquals(expected, IdlParser.parseSources(sources).formattedDiagnostics());
    }

    @Test
    void seesTheTypesOfDirectlyImportedFilesRelativeToTheImporter() {
        ParseResult result = IdlParser.parseSources(
                source("api/main.rapace", "package app;\nimport \"../common/id.rapace\";\nstruct User { id: Id }\n"),
                source("common/id.rapace", "package common;\nstruct Id { value: u64 }\n"));
        Schema schema = result.schemaOrThrow();
        StructDecl user = (StructDecl) schema.types().get(0);
        TypeRef.Declared id = (TypeRef.Declared) user.fields().get(0).type();
        assertEquals(new TypeName("common", "Id"), id.name());
        assertEquals(List.of("api/main.rapace", "common/id.rapace"), result.files());
    }

    @Test
    void importsAreNotTransitive() {
        assertReports("""
                a.rapace:3:21: unknown type `C`; it is declared in `sub/c.rapace`, which this file does not import (add `import "sub/c.rapace";`)
                struct A { b: B, c: C }
                                    ^
                """,
                source("a.rapace", "package a;\nimport \"b.rapace\";\nstruct A { b: B, c: C }\n"),
                source("b.rapace", "package b;\nimport \"sub/c.rapace\";\nstruct B { c: C }\n"),
                source("sub/c.rapace", "package c;\nstruct C {}\n"));
    }

    @Test
    void reportsAnImportCycleAtTheImportThatClosesIt() {
        SourceText a = source("a.rapace", "package a;\nimport \"b.rapace\";\nstruct A { b: B }\n");
        SourceText b = source("b.rapace", "package b;\nimport \"c.rapace\";\nstruct B { c: C }\n");
        SourceText c = source("c.rapace", "package c;\nimport \"a.rapace\";\nstruct C { a: option<A> }\n");
        assertReports("""
                c.rapace:2:8: import cycle: `a.rapace` -> `b.rapace` -> `c.rapace` -> `a.rapace` (each file imports the next)
                import "a.rapace";
                       ^
                """, a, b, c);
        assertReports("""
                b.rapace:2:8: import cycle: `c.rapace` -> `a.rapace` -> `b.rapace` -> `c.rapace` (each file imports the next)
                import "c.rapace";
                       ^
                """, c, a, b);
    }

    @Test
    void reportsAFileThatImportsItself() {
        assertReports("""
                a.rapace:2:8: import cycle: `a.rapace` imports itself
                import "./a.rapace";
                       ^
                """, source("a.rapace", "package a;\nimport \"./a.rapace\";\n"));
    }

    @Test
    void reportsMissingDuplicateAndMalformedImportsAtTheImport() {
        assertReports("""
                dir/a.rapace:3:8: duplicate import of `b.rapace`; it is already imported at dir/a.rapace:2:8
                import "../dir/../b.rapace";
                       ^
                dir/a.rapace:4:8: the import path is empty
                import "";
                       ^
                dir/a.rapace:5:8: import paths are relative to the importing file; `/abs.rapace` is absolute
                import "/abs.rapace";
                       ^
                dir/a.rapace:6:8: import paths separate directories with `/`, not `\\`
                import "x\\\\y.rapace";
                       ^
                dir/a.rapace:7:8: cannot read imported file `dir/missing.rapace`: no such file
                import "missing.rapace";
                       ^
                dir/a.rapace:8:12: unknown escape `\\q` in a string; the escapes are \\" \\\\ \\n \\r \\t and \\u{hex}
                import "bad\\q.rapace";
                           ^
                """,
                source("dir/a.rapace", """
                        package a;
                        import "../b.rapace";
                        import "../dir/../b.rapace";
                        import "";
                        import "/abs.rapace";
                        import "x\\\\y.rapace";
                        import "missing.rapace";
                        import "bad\\q.rapace";
                        struct A { b: B }
                        """),
                source("b.rapace", "package b;\nstruct B {}\n"));
    }

    @Test
    void reportsADuplicateAcrossFilesInTheFileThatComesSecond() {
        SourceText one = source("one.rapace", "package shared;\nstruct Dup {}\nservice S \"x.S\" { unary m() = 7; }\n");
        SourceText two = source("two.rapace", "package shared;\nstruct Dup {}\nservice T \"x.S\" { unary m() = 7; }\n");
        assertReports("""
                two.rapace:2:8: duplicate type `Dup` in package `shared` (first declared at one.rapace:2:8)
                struct Dup {}
                       ^
                two.rapace:3:11: duplicate service name `x.S` (first used by service `S` at one.rapace:3:9)
                service T "x.S" { unary m() = 7; }
                          ^
                two.rapace:3:31: duplicate method id 7 (first used by m in service S at one.rapace:3:19)
                service T "x.S" { unary m() = 7; }
                                              ^
                """, one, two);
        assertReports("""
                one.rapace:2:8: duplicate type `Dup` in package `shared` (first declared at two.rapace:2:8)
                struct Dup {}
                       ^
                one.rapace:3:11: duplicate service name `x.S` (first used by service `T` at two.rapace:3:9)
                service S "x.S" { unary m() = 7; }
                          ^
                one.rapace:3:31: duplicate method id 7 (first used by m in service T at two.rapace:3:19)
                service S "x.S" { unary m() = 7; }
                                              ^
                """, two, one);
    }

    @Test
    void reportsTheErrorsOfEveryFileInOneRunInTheOrderGiven() {
        assertReports("""
                b.rapace:2:12: unexpected character `$`
                struct B { $ }
                           ^
                b.rapace:3:15: unknown type `Nope`
                struct C { x: Nope }
                              ^
                a.rapace:1:1: missing package declaration: a file starts with `package name;`
                struct A {}
                ^
                """,
                source("b.rapace", "package b;\nstruct B { $ }\nstruct C { x: Nope }\n"),
                source("a.rapace", "struct A {}\n"));
    }

    @Test
    void allowsOneNameInTwoPackagesButNotAnAmbiguousUse() {
        assertTrue(IdlParser.parseSources(source("b.rapace", "package b;\nstruct X {}\n"),
                source("c.rapace", "package c;\nstruct X {}\n")).succeeded());
        assertReports("""
                a.rapace:4:15: `X` is ambiguous: it names b.X (at b.rapace:2:8) and c.X (at c.rapace:2:8)
                struct A { x: X }
                              ^
                """,
                source("a.rapace", "package a;\nimport \"b.rapace\";\nimport \"c.rapace\";\nstruct A { x: X }\n"),
                source("b.rapace", "package b;\nstruct X {}\n"), source("c.rapace", "package c;\nstruct X {}\n"));
        assertReports("""
                a.rapace:4:15: `X` is ambiguous: it names a.X (at a.rapace:3:8) and b.X (at b.rapace:2:8)
                struct A { x: X }
                              ^
                """,
                source("a.rapace", "package a;\nimport \"b.rapace\";\nstruct X {}\nstruct A { x: X }\n"),
                source("b.rapace", "package b;\nstruct X {}\n"));
    }

    @Test
    void readsChecksAndListsFilesThatAreOnlyImported(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main.rapace");
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(main, "package m;\nimport \"lib/types.rapace\";\nstruct M { t: T }\n");
        Path types = dir.resolve("lib/types.rapace");
        Files.writeString(types, "package lib;\nstruct T { x: Nope }\n");
        ParseResult result = IdlParser.parse(List.of(main));
        assertEquals(List.of(main.toString(), types.toString()), result.files());
        assertEquals(types + ":2:15: unknown type `Nope`\nstruct T { x: Nope }\n              ^\n",
                result.formattedDiagnostics());
    }

    @Test
    void reportsFilesThatCannotBeRead(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.rapace");
        Path directory = Files.createDirectories(dir.resolve("dir.rapace"));
        Path importer = dir.resolve("importer.rapace");
        Files.writeString(importer, "package p;\nimport \"gone.rapace\";\n");
        ParseResult result = IdlParser.parse(missing, directory, importer);
        assertEquals(missing + ": cannot read the file: no such file\n"
                        + directory + ": cannot read the file: it is a directory\n"
                        + importer + ":2:8: cannot read imported file `" + dir.resolve("gone.rapace")
                        + "`: no such file\nimport \"gone.rapace\";\n       ^\n",
                result.formattedDiagnostics());
    }

    @Test
    void reportsInvalidUtf8WhereItIs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.rapace");
        byte[] head = "package p;\n// caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\nstruct A {}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Files.write(file, bytes);
        assertEquals(file + ":2:7: invalid UTF-8: the file must be UTF-8 encoded (the bad bytes read as U+FFFD)\n"
                        + "// caf\uFFFD\n      ^\n",
                IdlParser.parse(file).formattedDiagnostics());
    }

    @Test
    void readsTheSameFileOnceHoweverItIsReached(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Path common = dir.resolve("common.rapace");
        Files.writeString(common, "package c;\nstruct C {}\n");
        Path first = dir.resolve("a/first.rapace");
        Files.writeString(first, "package a;\nimport \"../common.rapace\";\nstruct F { c: C }\n");
        Path second = dir.resolve("second.rapace");
        Files.writeString(second, "package b;\nimport \"./a/../common.rapace\";\nstruct S { c: C }\n");
        ParseResult result = IdlParser.parse(first, second, common);
        assertTrue(result.succeeded(), result::formattedDiagnostics);
        assertEquals(List.of(first.toString(), second.toString(), common.toString()), result.files());
        assertEquals(3, result.schemaOrThrow().types().size());
    }
}
