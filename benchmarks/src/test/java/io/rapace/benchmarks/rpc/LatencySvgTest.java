package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.harness.Timing;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class LatencySvgTest {
    private static Result result(String name, long base) {
        Result r = new Result(name, "note");
        long[] samples = new long[1000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = base + i * i;
        }
        r.backToBack.put(16, Timing.sorted(samples));
        r.paced.put(16, Timing.sorted(samples));
        r.backToBack.put(1024, Timing.sorted(samples));
        r.paced.put(1024, Timing.sorted(samples));
        return r;
    }

    @Test
    void drawsOneCurvePerSystemAndPanelAsWellFormedXml() throws Exception {
        Result failed = new Result("<failed & early>", "note");
        failed.failure = "java.io.IOException: peer exited";
        String svg = LatencySvg.render(List.of(result("agrona ring (spin)", 200), result("grpc netty (tcp)", 50_000),
                failed));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(4, doc.getElementsByTagName("polyline").getLength());
        assertTrue(svg.contains(">grpc netty (tcp)</text>"), svg);
    }

    @Test
    void reportsAFailedSystemAndItsRatios() {
        Result failed = new Result("uds (blocking)", "note");
        failed.failure = "java.io.IOException: the uds peer did not connect";
        String md = RpcReport.markdown(List.of(SystemRounds.of(result("agrona ring (spin)", 200)),
                SystemRounds.of(result("grpc netty (tcp)", 50_000)), SystemRounds.of(failed)),
                RpcBenchmark.Counts.quick(), 1, new RpcBenchmark.IdleBaseline(0.01, 0.02, 0.03, 0.04, 0.05), List.of(), "0 0 0",
                "0 0 0", Path.of("x.svg"));
        assertTrue(md.contains("| uds (blocking) | note **failed: java.io.IOException: the uds peer did not connect**"
                + " |"), md);
        assertTrue(md.contains("| uds (blocking) | 16 B | - | - | - | - | - |"), md);
        assertTrue(md.contains("### Ratios to agrona ring (spin)"), md);
        assertTrue(md.contains("### Ratios to grpc netty (tcp)"), md);
    }
}
