package io.rapace.samples.pluginapi;

import io.rapace.annotation.RapaceService;
import io.rapace.annotation.Unsigned;
import io.rapace.rpc.RpcStream;

/**
 * The application's plugin API: what a document renderer does for the host. Two plugin processes implement it
 * differently ({@link TextRendererPlugin}, {@link HtmlRendererPlugin}); the host reaches either with
 * {@code handle.client(RendererClient::new)}.
 */
@RapaceService(name = "samples.Renderer")
public interface Renderer {

    /** Who this renderer is, and the format it writes. */
    RendererInfo describe(String caller);

    /** Renders one page; asks the host for the page's font metrics on the way (a nested call back to the host). */
    Rendering render(Page page);

    /** The page broken into lines of at most {@code width} characters, one stream element per line. */
    RpcStream<Line> layout(Page page, @Unsigned int width);

    /** How many words the text has. */
    @Unsigned long wordCount(String text);
}
