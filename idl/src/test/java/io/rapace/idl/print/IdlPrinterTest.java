package io.rapace.idl.print;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.idl.model.Method;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Printed IDL parses back to the schema it was printed from (positions and Java names aside). */
class IdlPrinterTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = IdlPrinterTest.class.getResourceAsStream("/idl/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Schema parse(String name, String text) {
        ParseResult result = IdlParser.parse(name, text);
        assertEquals("", result.formattedDiagnostics(), text);
        return result.schemaOrThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host.rapace", "calculator.rapace"})
    void printedIdlParsesBackToTheSameSchema(String file) throws IOException {
        Schema original = parse(file, resource(file));
        String packageName = original.services().get(0).packageName();
        String printed = IdlPrinter.print(packageName, original);
        Schema reparsed = parse("printed.rapace", printed);

        assertEquals(printed, IdlPrinter.print(packageName, reparsed));
        assertEquals(original.types().size(), reparsed.types().size());
        for (int i = 0; i < original.types().size(); i++) {
            assertEquals(original.types().get(i).name(), reparsed.types().get(i).name());
            assertEquals(original.types().get(i).javaName(), reparsed.types().get(i).javaName());
            assertEquals(original.types().get(i).doc(), reparsed.types().get(i).doc());
        }
        for (int s = 0; s < original.services().size(); s++) {
            Service before = original.services().get(s);
            Service after = reparsed.services().get(s);
            assertEquals(before.name(), after.name());
            assertEquals(before.identifier(), after.identifier());
            assertEquals(before.version(), after.version());
            assertEquals(before.doc(), after.doc());
            for (int m = 0; m < before.methods().size(); m++) {
                Method a = before.methods().get(m);
                Method b = after.methods().get(m);
                assertEquals(a.name(), b.name());
                assertEquals(a.id(), b.id());
                assertEquals(a.explicitId(), b.explicitId());
                assertEquals(a.kind(), b.kind());
                assertEquals(a.requestType().toIdl(), b.requestType().toIdl());
                assertEquals(a.responseType().toIdl(), b.responseType().toIdl());
                assertEquals(a.doc(), b.doc());
            }
        }
    }
}
