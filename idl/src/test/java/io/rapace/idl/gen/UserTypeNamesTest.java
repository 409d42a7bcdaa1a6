package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.idl.parse.IdlParser;
import io.rapace.idl.parse.SourceText;
import io.rapace.idl.testing.ReferencedNames;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;
import io.rapace.rpc.ServiceDispatcher;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Types of the user's may take any name that generated code uses for a class of the runtime or the JDK: the
 * generator spells a class in full where a user's type would hide it. The names are read from the generator's own
 * output ({@link ReferencedNames}), so a class generated code starts to use is covered without anyone listing it.
 */
@Timeout(120)
class UserTypeNamesTest {

    @TempDir
    Path classes;

    /**
     * What the generated code of every test input imports or names from {@code java.lang}, but for the classes of
     * the inputs themselves (a type of another package of the schema, and its codec).
     */
    static Map<String, String> namesGeneratedCodeUses() {
        Map<String, String> names = new TreeMap<>();
        Set<String> generated = new TreeSet<>();
        for (Inputs input : Inputs.values()) {
            for (GeneratedFile file : input.generate()) {
                if (file.kind() == GeneratedFile.Kind.SOURCE) {
                    names.putAll(ReferencedNames.of(file.content()));
                    String path = file.path();
                    generated.add(path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length()));
                }
            }
        }
        names.keySet().removeAll(generated);
        return names;
    }

    @Test
    void theNamesIncludeRuntimeAndJdkClasses() {
        Set<String> names = namesGeneratedCodeUses().keySet();
        for (String expected : List.of("CallChannel", "PostcardWriter", "List", "Optional", "CompletableFuture",
                "BigInteger", "String", "Object", "Override", "Long")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
    }

    /**
     * The kitchen sink, beside a file of its package that declares a struct named like every class its generated
     * code names, a data enum with a variant of each of those names, and a service using them all.
     */
    @Test
    void typesNamedLikeEveryClassGeneratedCodeNamesCompileAndAnswerOverTheLoopback() throws Exception {
        Map<String, String> used = namesGeneratedCodeUses();
        Set<String> names = used.keySet();
        StringBuilder idl = new StringBuilder("package shadow.sink;\n\n");
        StringBuilder variants = new StringBuilder();
        StringBuilder methods = new StringBuilder();
        for (String name : names) {
            idl.append("struct ").append(name).append(" {}\n");
            variants.append("    ").append(name).append(" { text: string, items: list<u32>, maybe: option<bytes>,"
                    + " table: map<string, i128>, id: [u8; 4], ratio: f32, precise: f64, letter: char },\n");
            methods.append("    unary echo_").append(name).append('(').append(name).append(") -> ").append(name)
                    .append(";\n");
        }
        idl.append("\nenum Everything {\n").append(variants).append("}\n\n")
                .append("service Names {\n").append(methods)
                .append("    unary everything(Everything) -> Everything;\n")
                .append("    server_streaming repeat(text: string, times: u32) -> Everything;\n")
                .append("}\n");
        List<SourceText> sources = List.of(
                new SourceText("sink.rapace", Inputs.read("sink.rapace")
                        .replace("package io.rapace.sink;", "package shadow.sink;")),
                new SourceText("sink_types.rapace", Inputs.read("sink_types.rapace")
                        .replace("package io.rapace.sink.types;", "package shadow.sink.types;")),
                new SourceText("shadows.rapace", idl.toString()));
        List<GeneratedFile> files = JavaGenerator.generate(IdlParser.parseSources(sources).schemaOrThrow(),
                GeneratorOptions.DEFAULT);

        InProcessCompiler.Result result = InProcessCompiler.compile(files, classes);
        assertEquals(List.of(), result.diagnostics());
        // Each class is still named, in full, by what was generated here: the test hides every one of them.
        String shadowPackage = files.stream().filter(file -> file.path().matches("shadow/sink/\\w+\\.java"))
                .map(GeneratedFile::content).collect(Collectors.joining("\n"));
        for (String canonical : used.values()) {
            assertTrue(shadowPackage.contains(canonical), canonical + " is not named in package shadow.sink");
        }
        for (GeneratedFile file : files) {
            if (file.path().matches("shadow/sink/\\w+\\.java")) {
                for (String name : names) {
                    assertFalse(file.content().contains("." + name + ";\n"), file.path() + " imports a " + name);
                }
            }
        }

        try (URLClassLoader loader = result.classLoader(); Loopback loopback = Loopback.create()) {
            Class<?> service = loader.loadClass("shadow.sink.Names");
            serve(loopback, loader, service, (method, args) -> switch (method.getName()) {
                case "repeat" -> RpcStream.of(args[0], args[0]);
                default -> args[0];
            });
            Object client = client(loopback, loader, service);
            for (String name : names) {
                Object value = loader.loadClass("shadow.sink." + name).getConstructor().newInstance();
                assertEquals(value, call(client, "echo" + name, value));
                CompletableFuture<?> later = (CompletableFuture<?>) call(client, "echo" + name + "Async", value);
                assertEquals(value, later.get(30, TimeUnit.SECONDS));
            }
            Class<?> everything = loader.loadClass("shadow.sink.Everything");
            for (Class<?> variant : everything.getPermittedSubclasses()) {
                Object value = sample(variant);
                assertEquals(value.toString(), call(client, "everything", value).toString());
            }

            Class<?> sink = loader.loadClass("shadow.sink.KitchenSink");
            serve(loopback, loader, sink, (method, args) -> method.getName().equals("mathAdd")
                    ? (Object) ((Long) args[0] + (Long) args[1]) : null);
            Object sinkClient = client(loopback, loader, sink);
            assertEquals(5L, call(sinkClient, "mathAdd", 2L, 3L));
            assertEquals(9L, ((CompletableFuture<?>) call(sinkClient, "mathAddAsync", 4L, 5L))
                    .get(30, TimeUnit.SECONDS));
            assertEquals(null, call(sinkClient, "ping"));
        }
    }

    interface Handler {
        Object answer(Method method, Object[] args) throws Exception;
    }

    /** Serves a proxy implementation of {@code service} through its generated dispatcher. */
    static void serve(Loopback loopback, ClassLoader loader, Class<?> service, Handler handler) throws Exception {
        Object implementation = Proxy.newProxyInstance(loader, new Class<?>[] {service},
                (proxy, method, args) -> handler.answer(method, args));
        ServiceDispatcher dispatcher = (ServiceDispatcher) loader.loadClass(service.getName() + "Dispatcher")
                .getConstructor(service).newInstance(implementation);
        loopback.server().serve(dispatcher);
    }

    static Object client(Loopback loopback, ClassLoader loader, Class<?> service) throws Exception {
        return loader.loadClass(service.getName() + "Client").getConstructor(CallChannel.class)
                .newInstance(loopback.client());
    }

    /** Calls the only public method {@code name} of {@code target}. */
    static Object call(Object target, String name, Object... args) throws Exception {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name)) {
                return method.invoke(target, args);
            }
        }
        throw new AssertionError("no method " + name + " on " + target.getClass());
    }

    /** A value of a variant record of {@code Everything}. */
    private static Object sample(Class<?> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = switch (components[i].getName()) {
                case "text" -> "café";
                case "items" -> List.of(1, -1);
                case "maybe" -> Optional.of(new byte[] {1, 2});
                case "table" -> Map.of("big", BigInteger.TEN.pow(30));
                case "id" -> new byte[] {1, 2, 3, 4};
                case "ratio" -> 1.5f;
                case "precise" -> -2.25;
                case "letter" -> 0x1F980;
                default -> throw new AssertionError("unexpected component " + components[i]);
            };
        }
        assertFalse(record.isInterface());
        return record.getDeclaredConstructor(types).newInstance(values);
    }
}
