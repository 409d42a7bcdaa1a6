package io.rapace.idl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.idl.model.Schema;
import io.rapace.idl.model.TypeDecl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IdlParser#parse(Path, List)}: files named relative to a directory, as a build tool reads them. */
class IdlParserDirectoryTest {

    @Test
    void namesFilesAndPositionsRelativeToTheDirectory(@TempDir Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/main/rapace"));
        Files.createDirectories(sources.resolve("api"));
        Files.createDirectories(dir.resolve("src/main/common"));
        Files.writeString(sources.resolve("api/main.rapace"),
                "package m;\nimport \"types.rapace\";\nimport \"../../common/shared.rapace\";\nstruct M { t: T, s: S }\n");
        Files.writeString(sources.resolve("api/types.rapace"), "package m;\nstruct T {}\n");
        Files.writeString(dir.resolve("src/main/common/shared.rapace"), "package c;\nstruct S {}\n");

        ParseResult result = IdlParser.parse(sources, List.of(Path.of("api/main.rapace")));

        assertTrue(result.succeeded(), result::formattedDiagnostics);
        assertEquals(List.of("api/main.rapace", "api/types.rapace", "../common/shared.rapace"), result.files());
        Schema schema = result.schemaOrThrow();
        List<String> positions = new ArrayList<>();
        for (TypeDecl type : schema.types()) {
            positions.add(type.name() + " at " + type.position());
        }
        assertEquals(List.of("m.M at api/main.rapace:4:8", "m.T at api/types.rapace:2:8",
                "c.S at ../common/shared.rapace:2:8"), positions);
    }

    @Test
    void reportsRelativeNamesWhateverTheWorkingDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.rapace"), "package a;\nimport \"b.rapace\";\nstruct A { b: B, x: Nope }\n");
        Files.writeString(dir.resolve("b.rapace"), "package a;\nstruct B { y: Missing }\n");

        ParseResult result = IdlParser.parse(dir, List.of(Path.of("a.rapace"), Path.of("gone.rapace")));

        assertEquals("""
                a.rapace:3:21: unknown type `Nope`
                struct A { b: B, x: Nope }
                                    ^
                gone.rapace: cannot read the file: no such file
                b.rapace:2:15: unknown type `Missing`
                struct B { y: Missing }
                              ^
                """, result.formattedDiagnostics());
    }
}
