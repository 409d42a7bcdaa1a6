package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.Schema;
import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.ParseResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid IDL made at random from the parser's vocabulary, with names chosen to collide with what generated code uses
 * (Java keywords, {@code in}, {@code out}, {@code value}, {@code Arrays}, {@code String}, {@code CODEC},
 * {@code channel}, {@code foo} beside {@code foo_async}, ...), nested generics, fixed arrays and recursive types, is
 * generated and compiled with {@code -Werror}: valid IDL never becomes invalid or warning-laden Java. Each seed is
 * fixed, so a failure reproduces.
 */
class RandomSchemaCompilesTest {

    private static final String[] FIELD_NAMES = {"id", "class", "in", "in2", "out", "value", "other", "that",
        "record", "hash_code", "channel", "options", "request", "args", "unit", "implementation", "at", "variant",
        "size", "Arrays", "Objects", "Float", "CODEC", "to_string", "default", "var", "yield", "x_y", "_lead",
        "trail_", "count"};
    /** Parameters may also be named like a package root: their request record renames them. */
    private static final String[] PARAMETER_NAMES = {"java", "io", "class", "in", "out", "Arrays", "Objects",
        "CODEC", "channel", "options", "value", "args", "request", "implementation", "Codecs", "Unit"};
    private static final String[] TYPE_NAMES = {"Node", "String", "List", "Object", "Integer", "Override", "Map",
        "Optional", "Item", "Record", "Codec", "Unit", "Field", "TypeRef", "Value", "Arrays", "SuppressWarnings",
        "Long", "Objects", "BigInteger"};
    private static final String[] VARIANT_NAMES = {"A", "B", "String", "Object", "class", "Value", "None", "Some",
        "List", "Override", "In"};
    private static final String[] METHOD_NAMES = {"get", "Logger.log", "class", "hash_code", "with_options", "foo",
        "foo_async", "import", "equals", "Storage.set", "channel", "describe", "methods", "service_name"};
    private static final String[] SCALARS = {"bool", "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64",
        "u128", "f32", "f64", "char", "string", "bytes"};
    private static final String[] KEYS = {"i8", "u16", "i32", "u64", "u128", "bool", "string", "char"};
    private static final String[] KINDS = {"unary", "client_streaming", "server_streaming", "bidi_streaming"};

    @TempDir
    Path classes;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomValidSchemasCompileWithoutDiagnostics(long seed) throws IOException {
        String idl = new Writer(new Random(seed)).schema();
        ParseResult parsed = IdlParser.parse("random" + seed + ".rapace", idl);
        assertEquals("", parsed.formattedDiagnostics(), idl);
        Schema schema = parsed.schemaOrThrow();
        InProcessCompiler.Result result = InProcessCompiler.compile(
                JavaGenerator.generate(schema, GeneratorOptions.DEFAULT), classes);
        assertEquals(List.of(), result.diagnostics(), idl);
    }

    /** Writes one schema: unit enums first (map keys), then structs and data enums, then two services. */
    private static final class Writer {
        private final Random random;
        private final StringBuilder out = new StringBuilder();
        private final List<String> declared = new ArrayList<>();
        private final List<String> unitEnums = new ArrayList<>();

        Writer(Random random) {
            this.random = random;
        }

        String schema() {
            out.append("package r.int.gen;\n\n");
            List<String> names = new ArrayList<>(List.of(TYPE_NAMES));
            Collections.shuffle(names, random);
            int types = 4 + random.nextInt(5);
            for (int t = 0; t < types; t++) {
                String name = names.get(t);
                int shape = t == 0 ? 0 : random.nextInt(3);
                if (shape == 0) {
                    unitEnum(name);
                } else if (shape == 1) {
                    struct(name);
                } else {
                    dataEnum(name);
                }
                declared.add(name);
            }
            service("Svc", 5 + random.nextInt(6));
            // A service named like a java.lang class, unless a type took the name.
            service(declared.contains("Object") ? "Echo" : "Object", 3);
            return out.toString();
        }

        private void unitEnum(String name) {
            out.append("/// The */ enum ").append(name).append(" & <friends>.\nenum ").append(name).append(" { ");
            for (String variant : pick(VARIANT_NAMES, 1 + random.nextInt(4), JavaNames::enumConstant, name)) {
                out.append(variant).append(", ");
            }
            out.append("}\n\n");
            unitEnums.add(name);
        }

        private void struct(String name) {
            out.append("struct ").append(name).append(" {\n").append(fields(name)).append("}\n\n");
        }

        private void dataEnum(String name) {
            out.append("enum ").append(name).append(" {\n");
            List<String> variants = pick(VARIANT_NAMES, 1 + random.nextInt(4), JavaNames::typeName, name);
            for (int v = 0; v < variants.size(); v++) {
                // The first variant has only non-recursive fields, so the enum always has a finite value.
                out.append("    ").append(variants.get(v));
                if (random.nextInt(3) > 0) {
                    out.append(" {\n").append(v == 0 ? fields(null) : fields(name)).append("    }");
                }
                out.append(",\n");
            }
            out.append("}\n\n");
        }

        /** Fields with distinct Java names; {@code self} may appear behind an option or a list. */
        private String fields(String self) {
            StringBuilder fields = new StringBuilder();
            for (String field : pick(FIELD_NAMES, random.nextInt(6), JavaNames::fieldName, null)) {
                fields.append("        /// ").append(field).append(" @param \\u0041\n");
                fields.append("        ").append(field).append(": ").append(type(2, self)).append(",\n");
            }
            return fields.toString();
        }

        private String type(int depth, String self) {
            int choice = random.nextInt(depth > 0 ? 9 : 5);
            switch (choice) {
                case 5:
                    return "option<" + type(depth - 1, self) + ">";
                case 6:
                    return "list<" + type(depth - 1, self) + ">";
                case 7:
                    String key = unitEnums.isEmpty() || random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)]
                            : unitEnums.get(random.nextInt(unitEnums.size()));
                    return "map<" + key + ", " + type(depth - 1, self) + ">";
                case 8:
                    return "[" + type(depth - 1, null) + "; " + (1 + random.nextInt(3)) + "]";
                default:
                    if (choice == 0 && self != null && depth < 2) {
                        return self;
                    }
                    if (choice == 1 && !declared.isEmpty()) {
                        return declared.get(random.nextInt(declared.size()));
                    }
                    return SCALARS[random.nextInt(SCALARS.length)];
            }
        }

        private void service(String name, int methodCount) {
            out.append("/// Service ").append(name).append(" */\nservice ").append(name).append(" {\n");
            for (String method : pick(METHOD_NAMES, methodCount, JavaNames::methodName, null)) {
                String kind = KINDS[random.nextInt(KINDS.length)];
                boolean streamsRequests = kind.equals("client_streaming") || kind.equals("bidi_streaming");
                boolean streamsResponses = kind.equals("server_streaming") || kind.equals("bidi_streaming");
                out.append("    /// ").append(method).append("\n    ").append(kind).append(' ').append(method);
                int params = streamsRequests ? 1 : random.nextInt(4);
                if (params == 0) {
                    out.append("()");
                } else if (streamsRequests || random.nextBoolean() && params == 1) {
                    out.append('(').append(type(2, null)).append(')');
                } else {
                    out.append('(');
                    List<String> names = pick(PARAMETER_NAMES, params, JavaNames::fieldName, null);
                    for (int p = 0; p < names.size(); p++) {
                        out.append(p == 0 ? "" : ", ").append(names.get(p)).append(": ").append(type(2, null));
                    }
                    out.append(')');
                }
                if (streamsResponses || random.nextBoolean()) {
                    out.append(" -> ").append(type(2, null));
                }
                out.append(";\n");
            }
            out.append("}\n\n");
        }

        /** Up to {@code count} names whose Java names are distinct, none equal to {@code except}. */
        private List<String> pick(String[] from, int count, UnaryOperator<String> javaName,
                String except) {
            List<String> names = new ArrayList<>(List.of(from));
            Collections.shuffle(names, random);
            Set<String> javaNames = new HashSet<>();
            List<String> picked = new ArrayList<>();
            for (String name : names) {
                if (picked.size() == count) {
                    break;
                }
                if (!name.equals(except) && javaNames.add(javaName.apply(name))) {
                    picked.add(name);
                }
            }
            return picked;
        }
    }
}
