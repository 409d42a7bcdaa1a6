package io.rapace.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.rapace.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.rapace.idl.testing.ReferencedNames;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;
import io.rapace.rpc.ServiceDispatcher;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user's types may take any name that generated code uses for a class of the runtime or the JDK, nested in the
 * service interface (which the generated client implements, so inherits them) or top-level in its package. The names
 * are read from what the processor generates for the kitchen sink ({@link ReferencedNames}), so a class generated code
 * starts to use is covered without anyone listing it.
 */
@Timeout(120)
class UserTypeNamesTest {

    private static final String UNSIGNED = "@io.rapace.annotation.Unsigned";

    /** What the code generated for the kitchen sink imports or names from {@code java.lang}, but its own classes. */
    static Map<String, String> namesGeneratedCodeUses() throws IOException {
        Compilation compilation = Sources.compile(Sources.kitchenSink().toArray(new JavaFileObject[0]));
        assertThat(compilation).succeededWithoutWarnings();
        Map<String, String> names = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            names.putAll(ReferencedNames.of(file.getCharContent(true).toString()));
        }
        names.values().removeIf(canonical -> canonical.startsWith("sink."));
        return names;
    }

    @Test
    void theNamesIncludeRuntimeAndJdkClasses() throws IOException {
        Set<String> names = namesGeneratedCodeUses().keySet();
        for (String expected : List.of("CallChannel", "PostcardWriter", "List", "Optional", "CompletableFuture",
                "BigInteger", "String", "Object", "Override", "Integer")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
    }

    /**
     * The service interface {@code inside.Inside} declares a record named like every class the generated code names,
     * and package {@code outside} declares one top-level beside its service {@code Outside}; both services take and
     * return each of them. Package {@code beside} declares them too, but its service {@code Beside} does not use
     * them. Every source spells the JDK's classes in full, as such a user would.
     */
    @Test
    void typesNamedLikeEveryClassGeneratedCodeNamesCompileAndAnswerOverTheLoopback() throws Exception {
        Map<String, String> used = namesGeneratedCodeUses();
        Set<String> names = used.keySet();
        List<JavaFileObject> sources = new ArrayList<>(richTypes("inside"));
        sources.addAll(richTypes("outside"));
        sources.addAll(richTypes("beside"));
        StringBuilder nested = new StringBuilder();
        StringBuilder echoes = new StringBuilder();
        for (String name : names) {
            sources.add(source("outside." + name, "package outside;\n\npublic record " + name + "() {\n}\n"));
            sources.add(source("beside." + name, "package beside;\n\nrecord " + name + "() {\n}\n"));
            nested.append("    record ").append(name).append("() {\n    }\n\n");
            echoes.append("    ").append(name).append(" echo").append(name).append('(').append(name)
                    .append(" value);\n\n");
        }
        sources.add(source("inside.Inside", "package inside;\n\n"
                + "@io.rapace.annotation.RapaceService\npublic interface Inside {\n" + nested + RICH_METHODS + echoes
                + "}\n"));
        sources.add(source("outside.Outside", "package outside;\n\n"
                + "@io.rapace.annotation.RapaceService\npublic interface Outside {\n" + RICH_METHODS + echoes
                + "}\n"));
        sources.add(source("beside.Beside", "package beside;\n\n"
                + "@io.rapace.annotation.RapaceService\npublic interface Beside {\n" + RICH_METHODS + "}\n"));

        Compilation compilation = Sources.compile(sources.toArray(new JavaFileObject[0]));
        assertThat(compilation).succeededWithoutWarnings();
        // Each class is still named, in full, by what was generated here: the test hides every one of them.
        StringBuilder generated = new StringBuilder();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            generated.append(file.getCharContent(true));
        }
        for (String canonical : used.values()) {
            assertTrue(generated.indexOf(canonical) >= 0, canonical + " is not named in what was generated");
        }
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            if (!file.getName().matches(".*/(outside/|beside/|inside/InsideClient).*")) {
                continue;  // the other files of package inside import as usual: the names are Inside's members
            }
            for (String name : names) {
                assertTrue(file.getCharContent(true).toString().indexOf("." + name + ";\n") < 0,
                        file.getName() + " imports a " + name);
            }
        }

        ClassLoader loader = new CompiledClasses(compilation);
        try (Loopback loopback = Loopback.create()) {
            for (String service : List.of("inside.Inside", "outside.Outside", "beside.Beside")) {
                Class<?> type = loader.loadClass(service);
                Object implementation = Proxy.newProxyInstance(loader, new Class<?>[] {type},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "ping" -> null;
                            case "add" -> (Long) args[0] + (Long) args[1];
                            case "count" -> RpcStream.of(1, 2, (Integer) args[0]);
                            default -> args[0];
                        });
                loopback.server().serve((ServiceDispatcher) loader.loadClass(service + "Dispatcher")
                        .getConstructor(type).newInstance(implementation));
                Object client = loader.loadClass(service + "Client").getConstructor(CallChannel.class)
                        .newInstance(loopback.client());
                String prefix = service.equals("inside.Inside") ? service + "$" : "outside.";
                for (String name : service.equals("beside.Beside") ? Set.<String>of() : names) {
                    Object value = loader.loadClass(prefix + name).getConstructor().newInstance();
                    assertEquals(value, call(client, "echo" + name, value));
                    assertEquals(value, ((CompletableFuture<?>) call(client, "echo" + name + "Async", value))
                            .get(30, TimeUnit.SECONDS));
                }
                assertEquals(null, call(client, "ping"));
                assertEquals(5L, call(client, "add", 2L, 3L));
                assertEquals(Optional.of("x"), call(client, "maybe", Optional.of("x")));
                assertEquals(List.of(1, 2, 7), ((RpcStream<?>) call(client, "count", 7)).toList());
            }
        }
    }

    /** The only public method {@code name} of {@code target}, called. */
    private static Object call(Object target, String name, Object... args) throws Exception {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name)) {
                return method.invoke(target, args);
            }
        }
        throw new AssertionError("no method " + name + " on " + target.getClass());
    }

    /** Methods of every shape over every kind of type, the JDK's classes spelled in full. */
    private static final String RICH_METHODS = """
                void ping();

                @io.rapace.annotation.RapaceMethod(name = "Math.add")
                long add(long a, long b);

                Rich rich(Rich request);

                Variant variant(Variant request);

                Hue hue(Hue request);

                java.util.Optional<java.lang.String> maybe(java.util.Optional<java.lang.String> request);

                java.math.BigInteger big(java.math.BigInteger request);

                java.util.List<java.lang.@io.rapace.annotation.CodePoint Integer> letters(
                        @io.rapace.annotation.CodePoint int request);

                UNSIGNED byte @io.rapace.annotation.Fixed(2) [] @io.rapace.annotation.Fixed(2) [] fixed(
                        @io.rapace.annotation.Fixed(3) UNSIGNED int[] request);

                java.util.Map<java.lang.String, byte[]> lookup(java.util.List<java.lang.String> keys,
                        java.util.Map<java.lang.String, java.util.Optional<byte[]>> table);

                UNSIGNED long upload(io.rapace.rpc.RpcStream<byte[]> requests);

                void drain(io.rapace.rpc.RpcStream<java.lang.String> requests);

                io.rapace.rpc.RpcStream<java.lang.UNSIGNED Integer> count(UNSIGNED int limit);

                io.rapace.rpc.RpcStream<Variant> chat(io.rapace.rpc.RpcStream<Hue> requests);

            """.replace("UNSIGNED", UNSIGNED);

    /** The message types of {@link #RICH_METHODS}, top-level in package {@code packageName}. */
    private static List<JavaFileObject> richTypes(String packageName) {
        return List.of(
                source(packageName + ".Rich", """
                        package shadow;

                        public record Rich(boolean flag, byte i8, UNSIGNED byte u8, short i16, UNSIGNED short u16,
                                int i32, UNSIGNED int u32, long i64, UNSIGNED long u64, java.math.BigInteger i128,
                                float f32, double f64, @io.rapace.annotation.CodePoint int letter,
                                java.lang.String text, byte[] bytes, java.lang.Integer boxed,
                                java.util.Optional<java.lang.String> maybe, java.util.List<java.lang.Long> longs,
                                java.util.Map<java.lang.String, java.lang.Integer> counts,
                                @io.rapace.annotation.Fixed(4) UNSIGNED byte[] id,
                                java.util.List<java.lang.UNSIGNED Long> unsigned,
                                java.util.Map<Hue, java.util.List<Rich>> byHue,
                                @io.rapace.annotation.Fixed(2) double[] pair,
                                java.util.Optional<byte[]> blob) {
                        }
                        """.replace("UNSIGNED", UNSIGNED).replace("shadow", packageName)),
                source(packageName + ".Variant", """
                        package shadow;

                        public sealed interface Variant permits Variant.Circle, Variant.Poly, Variant.Point {
                            record Circle(double radius) implements Variant {
                            }

                            record Poly(java.util.List<java.lang.Float> lengths, java.lang.String name)
                                    implements Variant {
                            }

                            record Point() implements Variant {
                            }
                        }
                        """.replace("shadow", packageName)),
                source(packageName + ".Hue", """
                        package shadow;

                        public enum Hue {
                            RED,
                            DARK_GREEN
                        }
                        """.replace("shadow", packageName)));
    }
}
