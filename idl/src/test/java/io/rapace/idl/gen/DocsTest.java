package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Doc text becomes Javadoc that shows it as written and that nothing in it can break. */
class DocsTest {

    @Test
    void escapesWhatWouldEndTheCommentStartATagOrAnEscape() {
        assertEquals("a *&#47; b /* &#64;param &lt;b&gt; &amp;amp; &#92;u002A/ {&#64;code x}\n",
                Docs.escape("a */ b /* @param <b> &amp; \\u002A/ {@code x}"));
    }

    @Test
    void keepsNonAsciiAndLinesAndDropsTrailingSpace() {
        assertEquals("caf\u00e9 \uD83E\uDD80\n\nsecond\n", Docs.escape("caf\u00e9 \uD83E\uDD80  \r\n\r\nsecond\n"));
    }

    @Test
    void alignsParamLinesOfDocumentedNamesOnly() {
        assertEquals("A record.\n\n@param id    the id\n@param label a label\n             over two lines\n",
                Docs.javadoc("A record.", List.of(new Docs.Param("id", "the id"), new Docs.Param("other", ""),
                        new Docs.Param("label", "a label\nover two lines"))).toString());
    }

    @Test
    void writesNothingForNoDoc() {
        assertEquals("", Docs.javadoc("  ", List.of(new Docs.Param("id", ""))).toString());
    }
}
