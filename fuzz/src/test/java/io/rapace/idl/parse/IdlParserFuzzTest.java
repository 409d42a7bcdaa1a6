package io.rapace.idl.parse;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The IDL parser on any bytes: it returns a schema or diagnostics, each with its place in the file, and never throws.
 */
class IdlParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"package ", "import ", "struct ", "enum ", "service ", "version ", "unary ",
            "server_streaming ", "client_streaming ", "bidi_streaming ", "option<", "list<", "map<", "string", "bytes",
            "u32", "i128", "f64", "char", "->", "///", "/*", "*/", "\"", "\\u{", "@id(", ";", "{", "}", "[", "]"})
    void parse(byte[] input) {
        ParseResult result = IdlParser.parse("fuzz.rapace", new String(input, StandardCharsets.UTF_8));
        if (!result.succeeded()) {
            String report = result.formattedDiagnostics();
            if (report.isEmpty() || !report.contains("fuzz.rapace:")) {
                throw new AssertionError("a failed parse without a located diagnostic: " + result);
            }
        }
    }
}
