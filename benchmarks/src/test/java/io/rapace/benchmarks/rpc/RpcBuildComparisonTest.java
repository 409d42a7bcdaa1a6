package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import io.rapace.benchmarks.rpc.RpcBuildComparison.Figure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcBuildComparisonTest {
    private static final Figure B2B_16 = RpcBuildComparison.FIGURES.get(0);
    private static final Figure B2B_1K = RpcBuildComparison.FIGURES.get(1);
    private static final Figure STREAM_16 = RpcBuildComparison.FIGURES.get(2);

    /** A harness report of one system: b2b round trips of {@code micros} (16 B) and twice that (1 KiB). */
    private static String report(String name, long micros, double rate) {
        Result r = new Result(name, "note");
        r.backToBack.put(16, new long[] {micros * 1000});
        r.backToBack.put(1024, new long[] {2 * micros * 1000});
        r.streamRate.put(16, rate);
        Result missing = new Result("uds (blocking)", "note");
        missing.failure = "java.io.IOException: peer exited";
        return RpcReport.markdown(List.of(SystemRounds.of(r), SystemRounds.of(missing)), RpcBenchmark.Counts.quick(),
                1, RpcBenchmark.IdleBaseline.NONE, List.of(), "0 0 0", "0 0 0", Path.of("x.svg"));
    }

    @Test
    void readsTheFiguresOfEachSystemFromAHarnessReport() {
        Map<String, Map<Figure, Double>> parsed = RpcBuildComparison.parse(report("rapace spin direct", 3, 723_252));
        assertEquals(Map.of("rapace spin direct", Map.of(B2B_16, 3.0, B2B_1K, 6.0, STREAM_16, 723_252.0)), parsed);
    }

    @Test
    void readsTheMedianOfACellWithItsSpread() {
        String md = "### Unary round trip (us)\n\n| system | payload | b2b p50 |\n|---|---|---|\n"
                + "| rapace spin direct | 16 B | 2.34 (2.10..2.90) |\n| rapace spin direct | 1 KiB | 1,187 |\n"
                + "### Server streaming (messages/s)\n\n| rapace spin direct | 453,433 (400,000..500,000) | - |\n";
        assertEquals(Map.of("rapace spin direct", Map.of(B2B_16, 2.34, B2B_1K, 1187.0, STREAM_16, 453_433.0)),
                RpcBuildComparison.parse(md));
    }

    @Test
    void flagsBOnlyWhenItIsWorseByMoreThanTenPercent() {
        var a = List.of(RpcBuildComparison.parse(report("rapace spin direct", 10, 1000)),
                RpcBuildComparison.parse(report("rapace spin direct", 20, 3000)),
                RpcBuildComparison.parse(report("rapace spin direct", 30, 2000)));
        var slightlySlower = List.of(RpcBuildComparison.parse(report("rapace spin direct", 22, 1900)));
        StringBuilder out = new StringBuilder();
        assertFalse(RpcBuildComparison.report(out, "header", "before", "after", a, slightlySlower), out.toString());
        assertTrue(out.toString().contains("| rapace spin direct | b2b p50 16 B (us) | 20.0 (10.0..30.0) | 22.0 | "
                + "1.10 | ok |"), out.toString());
        assertTrue(out.toString().endsWith("No figure of B is worse than A's by more than 10%."), out.toString());

        var slower = List.of(RpcBuildComparison.parse(report("rapace spin direct", 23, 1700)));
        out.setLength(0);
        assertTrue(RpcBuildComparison.report(out, "header", "before", "after", a, slower), out.toString());
        assertTrue(out.toString().contains("| rapace spin direct | stream 16 B (msgs/s) | 2,000 (1,000..3,000) | "
                + "1,700 | 0.85 | **worse** |"), out.toString());
        assertTrue(out.toString().endsWith("Worse by more than 10%: rapace spin direct, b2b p50 16 B (us); "
                + "rapace spin direct, b2b p50 1 KiB (us); rapace spin direct, stream 16 B (msgs/s)."),
                out.toString());
    }
}
