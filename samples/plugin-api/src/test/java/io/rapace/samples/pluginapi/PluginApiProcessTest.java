package io.rapace.samples.pluginapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginSpec;
import io.rapace.plugin.PluginState;
import io.rapace.plugin.RestartPolicy;
import io.rapace.rpc.RpcStream;
import io.rapace.testing.Leftovers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application-defined plugin API end to end, with real plugin processes: two renderers implement
 * {@link Renderer} differently, each calls the host's own {@link Fonts} service back from inside a call, the host
 * initialises and stops them through the lifecycle verbs, a client outlives a killed plugin, and nothing is left.
 */
class PluginApiProcessTest {
    private static final Duration GUARD = Duration.ofSeconds(60);
    private static final Page PAGE = new Page("Title <1>", "one two three four five six seven", "mono");

    private final FontTable fonts = new FontTable();
    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private final List<PluginHost> hosts = new ArrayList<>();

    @AfterEach
    void nothingLeft() throws IOException {
        for (PluginHost host : hosts) {
            host.close();
        }
        pids.add(ProcessHandle.current().pid());
        Leftovers.assertNothingLeft(pids);
    }

    private PluginHost host(RestartPolicy policy) throws IOException {
        PluginHost host = PluginHost.builder()
                .hostService(new FontsDispatcher(fonts))
                .restartPolicy(policy)
                .shutdownHook(false)
                .listener((id, from, to, pid, detail) -> {
                    if (pid > 0) {
                        pids.add(pid);
                    }
                })
                .build();
        hosts.add(host);
        return host;
    }

    private static byte[] config(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Line> collect(RpcStream<Line> stream) {
        List<Line> lines = new ArrayList<>();
        try (stream) {
            stream.forEach(lines::add);
        }
        return lines;
    }

    @Test
    void twoPluginsServeTheApplicationsApiDifferentlyAndCallTheHostBack() throws Exception {
        PluginHost host = host(RestartPolicy.never());
        PluginHandle text = host.launch(PluginSpec.sameClassPath("text", TextRendererPlugin.class,
                config("style=boxed")));
        PluginHandle html = host.launch(PluginSpec.sameClassPath("html", HtmlRendererPlugin.class, new byte[0]));
        Renderer textRenderer = text.client(RendererClient::new);
        Renderer htmlRenderer = html.client(RendererClient::new);

        // the configuration reached each plugin's Initialize hook
        assertEquals(new RendererInfo("text renderer, at your service, test", Format.PLAIN_TEXT,
                Optional.of("boxed")),
                textRenderer.describe("test"));
        assertEquals(new RendererInfo("HTML renderer for test", Format.HTML, Optional.empty()),
                htmlRenderer.describe("test"));

        // unary with a nested call back to the host's Fonts service (mono: 12 points a character, 50 columns)
        assertEquals(new Rendering(Format.PLAIN_TEXT, "Title <1>\n=========\none two three four five six seven", 3),
                textRenderer.render(PAGE));
        assertEquals(new Rendering(Format.HTML, "<h1>Title &lt;1&gt;</h1><p style=\"font-family:mono;"
                + "line-height:16pt\">one two three four five six seven</p>", 2), htmlRenderer.render(PAGE));
        assertEquals(List.of("text asked for mono", "html asked for mono"), fonts.asked());

        // a server stream
        assertEquals(List.of(new Line(1, "one two three"), new Line(2, "four five six"), new Line(3, "seven")),
                collect(textRenderer.layout(PAGE, 13)));
        assertEquals(List.of(new Line(1, "<span>one two three</span>"), new Line(2, "<span>four five six</span>"),
                new Line(3, "<span>seven</span>")), collect(htmlRenderer.layout(PAGE, 13)));
        assertEquals(1, textRenderer.wordCount("<b>bold</b>words"));
        assertEquals(2, htmlRenderer.wordCount("<b>bold</b>words"));

        // the registry lists the application's service only: lifecycle is the session's, not a service's
        assertEquals(List.of("samples.Renderer"), text.session().orElseThrow().listServices(GUARD));
        assertEquals(List.of("samples.Renderer"), html.session().orElseThrow().listServices(GUARD));

        // metrics name the application's methods, and the lifecycle verbs
        assertTrue(text.metrics().calls() >= 5, text.metrics().toString());

        host.shutdown("text");
        assertEquals(PluginState.STOPPED, text.state());
        assertEquals("acknowledged shutdown, exited with status 0", text.detail());
    }

    /**
     * A stream still open when a replaced version's drain ends is ended with UNAVAILABLE "replaced", so its caller
     * can call again, and the call again reaches the new version.
     */
    @Test
    void aStreamStillOpenAfterTheDrainEndsWithUnavailable() throws Exception {
        PluginHost host = host(RestartPolicy.never());
        PluginHandle text = host.launch(PluginSpec.sameClassPath("text", TextRendererPlugin.class,
                config("style=v1")));
        Renderer renderer = text.client(RendererClient::new);
        Page book = new Page("Long", "word ".repeat(200_000), "serif");
        RpcStream<Line> lines = renderer.layout(book, 5); // 200,000 lines: more than the stream window holds
        java.util.Iterator<Line> reading = lines.iterator();
        assertEquals(new Line(1, "word"), reading.next());
        text.replace(PluginSpec.sameClassPath("text", TextRendererPlugin.class, config("style=v2")),
                io.rapace.plugin.ReplaceOptions.DEFAULT.withDrainTimeout(Duration.ofMillis(200)));
        io.rapace.rpc.RpcException ended = assertThrows(io.rapace.rpc.RpcException.class, () -> {
            while (reading.hasNext()) {
                reading.next();
            }
        });
        assertEquals(io.rapace.rpc.ErrorCode.UNAVAILABLE, ended.code());
        assertEquals("plugin text was replaced: call again", ended.getMessage());
        assertEquals(Optional.of("v2"), renderer.describe("again").style(), "calling again reaches the new version");
    }

    @Test
    void aPluginThatRefusesItsConfigurationFailsItsLaunchWithTheReason() throws Exception {
        PluginHost host = host(RestartPolicy.never());
        IOException refused = assertThrows(IOException.class, () -> host.launch(PluginSpec.sameClassPath("text",
                TextRendererPlugin.class, config("colour=red"))));
        assertEquals("plugin text failed to initialise: the text renderer takes a configuration of the form "
                + "style=<name>, not \"colour=red\"", refused.getMessage());
        assertEquals(PluginState.CRASHED, host.plugin("text").orElseThrow().state());
    }

    @Test
    void aClientKeepsWorkingWhenItsPluginIsKilledAndRestarted() throws Exception {
        PluginHost host = host(RestartPolicy.onFailure(Duration.ofMillis(50), 2, Duration.ofSeconds(1), 5,
                Duration.ofMinutes(1)));
        PluginHandle text = host.launch(PluginSpec.sameClassPath("text", TextRendererPlugin.class, new byte[0]));
        Renderer renderer = text.client(RendererClient::new);
        assertEquals(7, renderer.wordCount(PAGE.text()));
        long first = text.pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9 of the plugin this test started
        assertTrue(text.awaitState(PluginState.CRASHED, GUARD));
        // made while the plugin restarts: it waits for the new process, within the host's call timeout
        assertEquals(3, renderer.render(PAGE).lines());
        assertEquals(PluginState.RUNNING, text.state());
        assertNotEquals(first, text.pid());
        assertEquals(1, text.metrics().restarts(), text.metrics().toString());
    }
}
