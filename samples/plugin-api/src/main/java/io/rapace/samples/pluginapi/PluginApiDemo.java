package io.rapace.samples.pluginapi;

import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginSpec;
import io.rapace.plugin.RestartPolicy;
import io.rapace.rpc.RpcStream;
import java.nio.charset.StandardCharsets;

/**
 * An application with its own plugin API: a host that serves its {@link Fonts} service to plugins, launches two
 * renderer plugins that implement {@link Renderer} differently, and calls both through the generated
 * {@link RendererClient}. Run it with {@code java -jar samples/plugin-api/target/plugin-api-demo.jar}.
 */
public final class PluginApiDemo {
    private PluginApiDemo() {
    }

    public static void main(String[] args) throws Exception {
        FontTable fonts = new FontTable();
        Page page = new Page("Plugins", "A host launches its plugins, supervises them and restarts them, "
                + "and calls them through the API the application defined.", "condensed");
        try (PluginHost host = PluginHost.builder()
                .hostService(new FontsDispatcher(fonts))
                .restartPolicy(RestartPolicy.onFailure())
                .build()) {
            for (PluginSpec spec : new PluginSpec[] {
                    PluginSpec.sameClassPath("text", TextRendererPlugin.class, config("style=boxed")),
                    PluginSpec.sameClassPath("html", HtmlRendererPlugin.class, config("style=color:navy"))}) {
                PluginHandle handle = host.launch(spec);
                Renderer renderer = handle.client(RendererClient::new);
                System.out.println("== " + spec.id() + " (pid " + handle.pid() + ", serves "
                        + handle.session().orElseThrow().listServices(java.time.Duration.ofSeconds(5)) + ")");
                System.out.println(renderer.describe("the demo"));
                System.out.println(renderer.render(page).body());
                try (RpcStream<Line> lines = renderer.layout(page, 32)) {
                    for (Line line : lines) {
                        System.out.println(line.number() + ": " + line.text());
                    }
                }
                System.out.println("words: " + renderer.wordCount(page.text()));
            }
            System.out.println("== the host's Fonts service was asked: " + fonts.asked());
        }
        System.out.println("=== Done ===");
    }

    private static byte[] config(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
