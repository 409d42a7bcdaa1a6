package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ThroughputSvgTest {
    @Test
    void drawsOneLinePerSystemAndKindOfStreamAsWellFormedXml() throws Exception {
        Result measured = new Result("rapace <default> & executor", "note");
        for (int size : RpcBenchmark.STREAM_SIZES) {
            measured.streamRate.put(size, 1e6 / size);
            measured.clientStreamRate.put(size, 2e6 / size);
            measured.bidiRate.put(size, 3e6 / size);
        }
        Result failed = new Result("uds (blocking)", "note");
        failed.failure = "java.io.IOException: peer exited";
        String svg = ThroughputSvg.render(List.of(SystemRounds.of(measured), SystemRounds.of(failed)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(3, doc.getElementsByTagName("polyline").getLength(), "one per panel, none for the failed system");
        assertTrue(svg.contains(">rapace &lt;default&gt; &amp; executor</text>"), svg);
        assertTrue(svg.contains(">uds (blocking)</text>"), "the failed system keeps its legend entry");
    }

    @Test
    void drawsTheScalingCurveOfTheSystemsMeasuredWithScaleOnly() throws Exception {
        Result scaled = new Result("rapace default executor", "note");
        for (int callers : RpcBenchmark.CALLERS) {
            scaled.unaryThroughput.put(callers, 1e5 * callers);
        }
        for (int plugins : RpcBenchmark.PLUGINS) {
            scaled.pluginThroughput.put(plugins, 2e5 * plugins);
        }
        Result unscaled = new Result("uds (blocking)", "note");
        String svg = ThroughputSvg.renderScale(List.of(SystemRounds.of(scaled), SystemRounds.of(unscaled)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, doc.getElementsByTagName("polyline").getLength(), "callers and plugins, one system");
        assertTrue(svg.contains(">by plugins on one host</text>"), svg);
        assertTrue(!svg.contains("uds (blocking)"), "a system without --scale figures is left out");
    }
}
