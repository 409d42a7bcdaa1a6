package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void oddRoundsTakeTheMiddleValueAndTheirExtremes() {
        assertEquals(new Spread(3, 1, 9, 5), Spread.of(9, 1, 3, 7, 2));
    }

    @Test
    void evenRoundsTakeTheMeanOfTheMiddleTwo() {
        assertEquals(new Spread(2.5, 1, 10, 4), Spread.of(10, 2, 1, 3));
    }

    @Test
    void leavesOutRoundsThatMeasuredNothing() {
        assertEquals(new Spread(4, 2, 6, 2), Spread.of(Double.NaN, 6, 2, Double.NaN));
        assertEquals(Spread.NONE, Spread.of(Double.NaN, Double.NaN));
        assertEquals(Spread.NONE, Spread.of());
    }

    @Test
    void oneRoundReadsAsTheValueAloneAndSeveralAddTheirSpread() {
        assertEquals("2.34", Spread.of(2.3449).text(RpcReport::us));
        assertEquals("2.34 (1.50..12.0)", Spread.of(12, 1.5, 2.34).text(RpcReport::us));
        assertEquals("-", Spread.of(Double.NaN).text(RpcReport::us));
    }

    /** A system whose b2b 16 B round trips all take {@code micros} and whose 16 B stream runs at {@code rate}. */
    private static Result round(String name, long micros, double rate, String failure) {
        Result r = new Result(name, "note");
        r.backToBack.put(16, new long[] {micros * 1000, micros * 1000});
        r.streamRate.put(16, rate);
        r.failure = failure;
        return r;
    }

    @Test
    void aSystemsFiguresAreTheMediansOfItsRounds() {
        SystemRounds s = new SystemRounds("rapace spin direct", "note");
        s.rounds.add(round(s.system, 4, 100, null));
        s.rounds.add(round(s.system, 2, 300, null));
        s.rounds.add(round(s.system, 3, 200, "java.io.IOException: peer exited"));
        assertEquals(new Spread(3, 2, 4, 3), s.spread(RpcReport.b2b(16, 50)));
        assertEquals(new Spread(200, 100, 300, 3), s.spread(RpcReport.stream(16)));
        assertEquals(List.of("round 3: java.io.IOException: peer exited"), s.failures());
        assertEquals(6, s.pooled().backToBack.get(16).length);
    }

    @Test
    void reportsMediansWithTheirSpreadWhenThereAreRounds() {
        SystemRounds s = new SystemRounds("rapace spin direct", "note");
        s.rounds.add(round(s.system, 4, 1000, null));
        s.rounds.add(round(s.system, 2, 3000, null));
        s.rounds.add(round(s.system, 3, 2000, null));
        SystemRounds floor = new SystemRounds(RpcReport.FLOOR, "note");
        floor.rounds.add(round(floor.system, 1, 9000, null));
        floor.rounds.add(round(floor.system, 1, 9000, null));
        floor.rounds.add(round(floor.system, 1, 9000, null));
        String md = RpcReport.markdown(List.of(floor, s), RpcBenchmark.Counts.quick(), 3,
                RpcBenchmark.IdleBaseline.NONE, Targets.of(List.of(floor, s), RpcBenchmark.IdleBaseline.NONE, 0),
                "0 0 0", "0 0 0", Path.of("x.svg"));
        assertTrue(md.contains("3 rounds, systems interleaved"), md);
        assertTrue(md.contains("| rapace spin direct | 16 B | 3.00 (2.00..4.00) | 3.00 (2.00..4.00) | "
                + "3.00 (2.00..4.00) | - | - |"), md);
        assertTrue(md.contains("| rapace spin direct | 2,000 (1,000..3,000) | - | - | - |"), md);
        assertTrue(md.contains("| rapace spin direct | 3.00 | 3.00 | - | - | - | 0.22 | - | - |"), md);
        assertTrue(md.contains("### Targets (16 B, medians over 3 rounds)\n\n| target | rapace | peer | ratio | met |"
                + "\n|---|---|---|---|---|\n| spin direct: unary b2b p50 within 2x of the Agrona round trip (us) | "
                + "3.00 | 1.00 | 3.00 | **no** |\n"), md);
        assertTrue(Targets.of(List.of(s), RpcBenchmark.IdleBaseline.NONE, 0).isEmpty(),
                "no peer ran: nothing to compare against");
        assertFalse(RpcReport.markdown(List.of(s), RpcBenchmark.Counts.quick(), 3, RpcBenchmark.IdleBaseline.NONE,
                List.of(), "0 0 0", "0 0 0", Path.of("x.svg")).contains("### Targets"), "no targets: no table");
    }
}
