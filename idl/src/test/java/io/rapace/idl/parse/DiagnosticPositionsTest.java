package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.idl.model.Schema;
import io.rapace.idl.model.SourcePosition;
import io.rapace.idl.model.StructDecl;
import org.junit.jupiter.api.Test;

/**
 * Positions and the diagnostic format: lines from 1, columns in code points from 1, a tab one column (and kept in the
 * caret line), CRLF or a lone CR one line break, a leading byte order mark skipped.
 */
class DiagnosticPositionsTest {

    private static String diagnostics(String text) {
        return IdlParser.parse("t.rapace", text).formattedDiagnostics();
    }

    @Test
    void countsATabAsOneColumnAndKeepsTabsInTheCaretLine() {
        assertEquals("t.rapace:3:5: unknown type `Nope`\n\ta:\tNope,\n\t  \t^\n",
                diagnostics("package p;\nstruct A {\n\ta:\tNope,\n}\n"));
    }

    @Test
    void countsCrLfAsOneLineBreak() {
        assertEquals("t.rapace:3:8: unknown type `Nope`\n    a: Nope,\n       ^\n",
                diagnostics("package p;\r\nstruct A {\r\n    a: Nope,\r\n}\r\n"));
    }

    @Test
    void countsALoneCarriageReturnAsALineBreak() {
        assertEquals("t.rapace:2:15: unknown type `Nope`\nstruct A { a: Nope }\n              ^\n",
                diagnostics("package p;\rstruct A { a: Nope }\r"));
    }

    @Test
    void skipsALeadingByteOrderMark() {
        assertEquals("t.rapace:1:1: missing package declaration: a file starts with `package name;`\n"
                + "struct A {}\n^\n", diagnostics("\uFEFFstruct A {}\n"));
        assertEquals("t.rapace:1:26: unknown type `Nope`\npackage p; struct A { a: Nope }\n"
                + "                         ^\n", diagnostics("\uFEFFpackage p; struct A { a: Nope }"));
        assertEquals("t.rapace:1:12: unexpected character U+FEFF\npackage p; \uFEFFstruct A {}\n           ^\n",
                diagnostics("package p; \uFEFFstruct A {}"));
    }

    @Test
    void countsColumnsInCodePoints() {
        String line = "service S \"\u00e9\uD83D\uDE00\" { unary m() -> Nope; }";
        assertEquals("t.rapace:3:31: unknown type `Nope`\n" + line + "\n" + " ".repeat(30) + "^\n",
                diagnostics("package p;\n// \u00e9\uD83D\uDE00\n" + line + "\n"));
    }

    @Test
    void pointsJustAfterTheLastTokenAtTheEndOfTheFile() {
        String expected = "t.rapace:2:18: unexpected end of file: struct `A` opened at 2:10 has no closing `}`\n"
                + "struct A { a: u32\n                 ^\n";
        assertEquals(expected, diagnostics("package p;\nstruct A { a: u32"));
        assertEquals(expected, diagnostics("package p;\nstruct A { a: u32\n\n  \n"));
    }

    @Test
    void givesTheModelTheSamePositions() {
        Schema schema = IdlParser.parse("t.rapace", "\uFEFFpackage p;\r\n\tstruct\tA {\r\n\t\tb: u8 }\r\n")
                .schemaOrThrow();
        StructDecl a = (StructDecl) schema.types().get(0);
        assertEquals(new SourcePosition("t.rapace", 2, 9), a.position());
        assertEquals(new SourcePosition("t.rapace", 3, 3), a.fields().get(0).position());
        assertEquals(new SourcePosition("t.rapace", 3, 6), a.fields().get(0).type().position());
    }

    @Test
    void formatsAProblemWithAWholeFileWithoutAPlace() {
        assertEquals("x.rapace: cannot read the file: no such file",
                new Diagnostic("x.rapace", 0, 0, "cannot read the file: no such file", "").format());
    }

    @Test
    void padsTheCaretLinePastTheEndOfTheSourceLine() {
        assertEquals("f:1:6: m\nab\t\n  \t  ^", new Diagnostic("f", 1, 6, "m", "ab\t").format());
    }
}
