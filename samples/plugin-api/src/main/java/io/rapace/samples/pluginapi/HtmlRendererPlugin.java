package io.rapace.samples.pluginapi;

import io.rapace.plugin.PluginMain;
import io.rapace.rpc.RpcStream;
import java.util.Optional;

/**
 * A renderer plugin that writes HTML: a heading and one paragraph styled with the font's family and line height,
 * every character escaped. Its own process, started by the host; it lays lines out as HTML spans.
 */
public final class HtmlRendererPlugin implements Renderer {
    private final Fonts fonts;
    private volatile String style;

    HtmlRendererPlugin(Fonts fonts) {
        this.fonts = fonts;
    }

    public static void main(String[] args) {
        PluginMain.main(args, plugin -> {
            HtmlRendererPlugin renderer = new HtmlRendererPlugin(new FontsClient(plugin.host()));
            plugin.serve(new RendererDispatcher(renderer))
                    .onInitialize(config -> renderer.style = Layout.style(config, "the HTML renderer"));
        });
    }

    @Override
    public RendererInfo describe(String caller) {
        return new RendererInfo("HTML renderer for " + caller, Format.HTML, Optional.ofNullable(style));
    }

    @Override
    public Rendering render(Page page) {
        FontMetrics metrics = fonts.metrics(page.font()); // a nested call back to the host
        String css = "font-family:" + escape(metrics.family()) + ";line-height:" + metrics.lineHeight() + "pt"
                + (style == null ? "" : ";" + escape(style));
        String body = "<h1>" + escape(page.title()) + "</h1><p style=\"" + css + "\">" + escape(page.text().strip())
                + "</p>";
        return new Rendering(Format.HTML, body, 2);
    }

    @Override
    public RpcStream<Line> layout(Page page, int width) {
        return RpcStream.from(Layout.lines(page.text(), width).stream()
                .map(line -> new Line(line.number(), "<span>" + escape(line.text()) + "</span>"))
                .toList());
    }

    @Override
    public long wordCount(String text) {
        return Layout.words(text.replaceAll("<[^>]*>", " ")).size();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
