package io.rapace.idl.gen;

import io.rapace.idl.model.Schema;
import io.rapace.idl.parse.IdlParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How long the generator takes on a large schema: 200 services of 10 methods each (all four call shapes, named
 * parameters, composites, two structs and a data enum per service), parsed, generated, and compiled by javac in this
 * JVM with the build's options. Not a test: run it by hand (see {@code docs/benchmarks-generator.md}).
 *
 * <pre>{@code
 * mvn -B -q -pl idl -am test-compile
 * java -cp idl/target/test-classes:idl/target/classes:runtime/target/classes:$HOME/.m2/repository/com/palantir/javapoet/javapoet/0.22.0/javapoet-0.22.0.jar \
 *     io.rapace.idl.gen.GeneratorBenchmark
 * }</pre>
 */
public final class GeneratorBenchmark {

    private static final int SERVICES = 200;
    private static final int METHODS = 10;
    private static final int RUNS = 7;

    private GeneratorBenchmark() {
    }

    /** The IDL: per service two structs and a data enum of its own, and ten methods using them. */
    static String idl() {
        StringBuilder idl = new StringBuilder("package bench.gen;\n\n");
        for (int s = 0; s < SERVICES; s++) {
            idl.append("/// Request ").append(s).append(".\nstruct Req").append(s)
                    .append(" { id: u64, name: string, tags: list<string>, data: bytes, limit: option<u32> }\n");
            idl.append("struct Resp").append(s)
                    .append(" { id: u64, values: map<string, list<i64>>, hash: [u8; 32], ok: bool }\n");
            idl.append("enum Event").append(s)
                    .append(" { Started { at: i64 }, Progress { done: u32, total: u32 }, Finished }\n");
            idl.append("/// Service ").append(s).append(".\nservice Service").append(s).append(" {\n");
            for (int m = 0; m < METHODS; m++) {
                idl.append("    /// Method ").append(m).append(".\n    ");
                switch (m % 5) {
                    case 0 -> idl.append("unary get").append(m).append("(Req").append(s).append(") -> Resp")
                            .append(s);
                    case 1 -> idl.append("unary add").append(m).append("(a: i64, b: i64, note: string) -> i64");
                    case 2 -> idl.append("client_streaming upload").append(m).append("(bytes) -> Resp").append(s);
                    case 3 -> idl.append("server_streaming watch").append(m).append("(Req").append(s)
                            .append(") -> Event").append(s);
                    default -> idl.append("bidi_streaming chat").append(m).append("(Event").append(s)
                            .append(") -> option<Event").append(s).append('>');
                }
                idl.append(";\n");
            }
            idl.append("}\n\n");
        }
        return idl.toString();
    }

    public static void main(String[] args) throws IOException {
        String idl = idl();
        long[] parse = new long[RUNS];
        long[] generate = new long[RUNS];
        List<GeneratedFile> files = List.of();
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            Schema schema = IdlParser.parse("bench.rapace", idl).schemaOrThrow();
            long parsed = System.nanoTime();
            files = JavaGenerator.generate(schema, GeneratorOptions.DEFAULT);
            long generated = System.nanoTime();
            parse[run] = parsed - start;
            generate[run] = generated - parsed;
        }
        long lines = files.stream().mapToLong(f -> f.content().lines().count()).sum();
        System.out.printf("input: %d services x %d methods, %d lines of IDL%n", SERVICES, METHODS,
                idl.lines().count());
        System.out.printf("output: %d files, %d lines of Java%n", files.size(), lines);
        System.out.printf("parse:    first %6.0f ms, median of the next %d %6.0f ms%n", ms(parse[0]), RUNS - 1,
                median(parse));
        System.out.printf("generate: first %6.0f ms, median of the next %d %6.0f ms%n", ms(generate[0]), RUNS - 1,
                median(generate));
        Path classes = Files.createTempDirectory("rapace-bench");
        try {
            long start = System.nanoTime();
            InProcessCompiler.Result result = InProcessCompiler.compile(files, classes);
            long compiled = System.nanoTime();
            System.out.printf("javac:    %6.0f ms (%s, %d diagnostics)%n", ms(compiled - start),
                    String.join(" ", InProcessCompiler.OPTIONS), result.diagnostics().size());
        } finally {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(path);
                }
            }
        }
        System.out.printf("JDK %s, %d processors%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(long[] runs) {
        long[] rest = Arrays.copyOfRange(runs, 1, runs.length);
        Arrays.sort(rest);
        return ms(rest[rest.length / 2]);
    }
}
