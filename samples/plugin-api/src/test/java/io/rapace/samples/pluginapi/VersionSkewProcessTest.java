package io.rapace.samples.pluginapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.rapace.grpc.RapaceGrpc;
import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginSpec;
import io.rapace.plugin.ReplaceOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import io.rapace.rpc.SchemaMismatch;
import io.rapace.testing.Leftovers;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host and a plugin built from two versions of the {@link Renderer} API. Each version 2 is compiled for real (javac
 * with the rapace annotation processor) from this module's sources with one change (a doc comment, a field's type, an
 * enum variant appended, a field appended), and runs with a class path holding only that version. The host learns of
 * the methods whose schema differs when the plugin connects; their calls fail with FAILED_PRECONDITION naming the
 * method and the type on each side, and the methods the change does not touch go on working. A replace by such a
 * version is refused unless asked for.
 */
class VersionSkewProcessTest {
    @TempDir
    Path dir;

    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private PluginHost host;

    @AfterEach
    void nothingLeft() throws IOException {
        if (host != null) {
            host.close();
        }
        pids.add(ProcessHandle.current().pid());
        Leftovers.assertNothingLeft(pids);
    }

    /** One change to version 1's sources: in file {@code file}, {@code from} becomes {@code to}. */
    private record Edit(String file, String from, String to) {
    }

    private static final Edit FIELD_APPENDED = new Edit("Page.java",
            "public record Page(String title, String text, String font)",
            "public record Page(String title, String text, String font, String language)");

    /** Version 2: this module's main sources with {@code edits} made, compiled (javac and the processor). */
    private Path compile(String version, Edit... edits) throws IOException {
        Path sources = dir.resolve(version + "-src");
        Path classes = Files.createDirectories(dir.resolve(version + "-classes"));
        Path main = Path.of("src/main/java/io/rapace/samples/pluginapi");
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(main)) {
            for (Path source : (Iterable<Path>) list::iterator) {
                String text = Files.readString(source, StandardCharsets.UTF_8);
                for (Edit edit : edits) {
                    if (source.getFileName().toString().equals(edit.file())) {
                        assertTrue(text.contains(edit.from()), edit + " applies");
                        text = text.replace(edit.from(), edit.to());
                    }
                }
                Path copy = sources.resolve(main.relativize(source));
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, text, StandardCharsets.UTF_8);
                files.add(copy.toString());
            }
        }
        String classPath = System.getProperty("java.class.path");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "-processorpath",
                classPath, "-nowarn", "--release", "17"));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, args.toArray(String[]::new));
        assertEquals(0, status, version + " compiles");
        return classes;
    }

    private Path compileVersion2() throws IOException {
        return compile("v2", FIELD_APPENDED,
                new Edit("PluginApiDemo.java", "\"condensed\");", "\"condensed\", \"en\");"));
    }

    /** Version 2's class path: its classes and everything the test's has but this module's own (version 1). */
    private static List<Path> classPath(Path version2) {
        List<Path> own = List.of(Path.of("target/classes").toAbsolutePath(),
                Path.of("target/test-classes").toAbsolutePath());
        List<Path> path = new ArrayList<>(List.of(version2));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath())
                .filter(e -> !own.contains(e))
                .forEach(path::add);
        return path;
    }

    private PluginHost host() throws IOException {
        host = PluginHost.builder().hostService(new FontsDispatcher(new FontTable())).shutdownHook(false)
                .listener((id, from, to, pid, detail) -> {
                    if (pid > 0) {
                        pids.add(pid);
                    }
                })
                .build();
        return host;
    }

    /**
     * A replace by a version whose schemas differ is refused with the differences listed, and the running version
     * stays; asked for anyway, it is done.
     */
    @Test
    void aReplaceByAVersionWithOtherSchemasIsRefusedUnlessAskedFor() throws Exception {
        Path version2 = compileVersion2();
        PluginHandle text = host().launch(PluginSpec.sameClassPath("text", TextRendererPlugin.class, new byte[0]));
        long v1 = text.pid();
        pids.add(v1);
        PluginSpec v2 = PluginSpec.java("text", TextRendererPlugin.class.getName(), classPath(version2),
                new byte[0]);
        IOException refused = assertThrows(IOException.class, () -> text.replace(v2));
        String page1 = "io.rapace.samples.pluginapi.Page {title: string, text: string, font: string}";
        String page2 = "io.rapace.samples.pluginapi.Page {title: string, text: string, font: string, "
                + "language: string}";
        assertEquals("plugin text was not replaced: the new version's schemas differ from the running version's ("
                + "method samples.Renderer.layout differs in its type " + page1 + " in the running version, "
                + page2 + " in the new version; method samples.Renderer.render differs in its type " + page1
                + " in the running version, " + page2 + " in the new version); replace with "
                + "ReplaceOptions.allowingSchemaChanges() to replace it anyway", refused.getMessage());
        assertEquals(v1, text.pid(), "the running version stays");
        Renderer renderer = text.client(RendererClient::new);
        assertEquals(3, renderer.render(new Page("t", "one two", "mono")).lines());

        text.replace(v2, ReplaceOptions.DEFAULT.allowingSchemaChanges());
        assertTrue(text.pid() != v1);
        pids.add(text.pid());
        assertEquals(2, text.schemaMismatches().size(), "the host's own clients are version 1");
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(RpcException.class,
                () -> renderer.render(new Page("t", "one two", "mono"))).code());
        assertEquals(2, renderer.wordCount("one two"));
    }

    /** What each kind of change does to a host of version 1 calling a plugin of version 2. */
    @Test
    void eachChangeEitherKeepsTheCallsOrFailsThoseItTouches() throws Exception {
        PluginHost host = host();
        Page page = new Page("t", "one two", "mono");

        // only a doc comment changed: the same fingerprints, every call works
        Renderer docs = launch(host, "docs", compile("docs", new Edit("Page.java", "/** One page of a document. */",
                "/** One page of a document, as the application sends it to be rendered. */")));
        assertEquals(List.of(), host.plugin("docs").orElseThrow().schemaMismatches());
        assertEquals(3, docs.render(page).lines());
        try (RpcStream<Line> lines = docs.layout(page, 4)) {
            int count = 0;
            for (Line ignored : lines) {
                count++;
            }
            assertEquals(2, count);
        }

        // a field's type changed (Line.number, u32 to i64): layout's calls fail, the others work
        Renderer retyped = launch(host, "retyped", compile("retyped", new Edit("Line.java",
                "public record Line(@Unsigned int number, String text)", "public record Line(long number, String text)"),
                new Edit("Layout.java", "lines.add(new Line(lines.size() + 1, line.toString()));",
                        "lines.add(new Line(lines.size() + 1L, line.toString()));")));
        assertEquals(List.of("layout"), methods(host, "retyped"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(RpcException.class,
                () -> retyped.layout(page, 4)).code());
        assertEquals(3, retyped.render(page).lines());

        // an enum variant appended (Format gains MARKDOWN): the methods whose messages hold a Format fail
        Renderer widened = launch(host, "widened", compile("widened", new Edit("Format.java",
                "    HTML\n}", "    HTML,\n    /** Markdown. */\n    MARKDOWN\n}")));
        assertEquals(List.of("describe", "render"), methods(host, "widened"));
        RpcException refused = assertThrows(RpcException.class, () -> widened.describe("x"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("schema mismatch with widened: method samples.Renderer.describe differs in its type "
                + "io.rapace.samples.pluginapi.Format {PlainText, Html} here, io.rapace.samples.pluginapi.Format "
                + "{PlainText, Html, Markdown} on the peer", refused.getMessage());
        assertEquals(2, widened.wordCount("one two"));

        // a field appended: below, in theHostLearnsOfEveryMismatch...
    }

    /**
     * Over gRPC, the same: a server of version 2 refuses version 1's call with FAILED_PRECONDITION, and the caller,
     * comparing its registry entry with the one the server serves, names the type on each side.
     */
    @Test
    void overGrpcACallWithAnotherSchemaFailsNamingTheTypeOnEachSide() throws Exception {
        Path version2 = compileVersion2();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath(version2).stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(File.pathSeparator)),
                RendererOverGrpc.class.getName(), "0"));
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        pids.add(server.pid());
        ManagedChannel channel = null;
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(port != null && port.startsWith("PORT "), "the server said " + port);
            channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(port.substring(5)))
                    .usePlaintext().build();
            Renderer renderer = new RendererClient(RapaceGrpc.channel(channel));
            RpcException refused = assertThrows(RpcException.class,
                    () -> renderer.render(new Page("t", "one two", "mono")));
            assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
            assertEquals("schema mismatch with " + channel.authority() + ": method samples.Renderer.render differs "
                    + "in its type io.rapace.samples.pluginapi.Page {title: string, text: string, font: string} here, "
                    + "io.rapace.samples.pluginapi.Page {title: string, text: string, font: string, language: "
                    + "string} on the peer", refused.getMessage());
            assertEquals(2, renderer.wordCount("one two"), "a method the change does not touch works");
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            server.getOutputStream().close(); // the server ends when its input does
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not end");
        }
    }

    private Renderer launch(PluginHost host, String id, Path classes) throws IOException {
        return host.launch(PluginSpec.java(id, TextRendererPlugin.class.getName(), classPath(classes), new byte[0]))
                .client(RendererClient::new);
    }

    private static List<String> methods(PluginHost host, String id) {
        return host.plugin(id).orElseThrow().schemaMismatches().stream().map(SchemaMismatch::method).toList();
    }

    @Test
    void theHostLearnsOfEveryMismatchAndItsCallsFailWithFailedPrecondition() throws Exception {
        Path version2 = compileVersion2();
        PluginHandle v2 = host().launch(PluginSpec.java("v2", TextRendererPlugin.class.getName(),
                classPath(version2), new byte[0]));
        String page1 = "io.rapace.samples.pluginapi.Page {title: string, text: string, font: string}";
        String page2 = "io.rapace.samples.pluginapi.Page {title: string, text: string, font: string, "
                + "language: string}";
        assertEquals(List.of(
                new SchemaMismatch("samples.Renderer", "layout", RendererDescriptor.LAYOUT_ID,
                        "method samples.Renderer.layout differs in its type " + page1 + " here, " + page2
                                + " on the peer"),
                new SchemaMismatch("samples.Renderer", "render", RendererDescriptor.RENDER_ID,
                        "method samples.Renderer.render differs in its type " + page1 + " here, " + page2
                                + " on the peer")),
                v2.schemaMismatches());
        assertEquals(2, v2.metrics().schemaMismatches());

        Renderer renderer = v2.client(RendererClient::new);
        RpcException refused = assertThrows(RpcException.class,
                () -> renderer.render(new Page("t", "one two", "mono")));
        assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());
        assertEquals("schema mismatch with v2: method samples.Renderer.render differs in its type " + page1
                + " here, " + page2 + " on the peer", refused.getMessage());
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(RpcException.class,
                () -> renderer.layout(new Page("t", "one two", "mono"), 10)).code());
        // the methods that did not change still work
        assertEquals(2, renderer.wordCount("one two"));
        assertTrue(renderer.describe("skew").name().startsWith("text renderer"));
    }
}
