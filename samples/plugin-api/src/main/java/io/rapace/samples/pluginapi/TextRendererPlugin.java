package io.rapace.samples.pluginapi;

import io.rapace.plugin.PluginMain;
import io.rapace.rpc.RpcStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A renderer plugin that writes plain text: the title underlined, the text wrapped to as many columns as the page's
 * font fits on a 600-point line. Its own process, started by the host.
 */
public final class TextRendererPlugin implements Renderer {
    private static final int PAGE_WIDTH_POINTS = 600;

    private final Fonts fonts;
    private volatile String style;

    TextRendererPlugin(Fonts fonts) {
        this.fonts = fonts;
    }

    public static void main(String[] args) {
        PluginMain.main(args, plugin -> {
            TextRendererPlugin renderer = new TextRendererPlugin(new FontsClient(plugin.host()));
            plugin.serve(new RendererDispatcher(renderer))
                    .onInitialize(config -> renderer.style = Layout.style(config, "the text renderer"))
                    .onShutdown(() -> System.err.println("text renderer: shutting down, style " + renderer.style));
        });
    }

    @Override
    public RendererInfo describe(String caller) {
        return new RendererInfo("text renderer, at your service, " + caller, Format.PLAIN_TEXT,
                Optional.ofNullable(style));
    }

    @Override
    public Rendering render(Page page) {
        FontMetrics metrics = fonts.metrics(page.font()); // a nested call back to the host
        int columns = PAGE_WIDTH_POINTS / Math.max(1, metrics.charWidth());
        List<Line> lines = Layout.lines(page.text(), columns);
        String rule = "=".repeat(page.title().length());
        String body = page.title() + "\n" + rule + "\n" + lines.stream().map(Line::text)
                .collect(Collectors.joining("\n"));
        return new Rendering(Format.PLAIN_TEXT, body, lines.size() + 2);
    }

    @Override
    public RpcStream<Line> layout(Page page, int width) {
        return RpcStream.from(Layout.lines(page.text(), width));
    }

    @Override
    public long wordCount(String text) {
        return Layout.words(text).size();
    }
}
