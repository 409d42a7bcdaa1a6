package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.rpc.RpcBenchmark.IdleBaseline;
import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The targets of issue 14 from made-up figures, and their lines in the TSV summary. */
class TargetsTest {
    private static Result system(String name, long b2bMicros, long pacedMicros, double cpu, double stream16) {
        Result r = new Result(name, "note");
        r.backToBack.put(16, new long[] {b2bMicros * 1000});
        r.paced.put(16, new long[] {pacedMicros * 1000});
        r.pacedHostCpu = cpu;
        r.pacedPeerCpu = cpu;
        r.streamRate.put(16, stream16);
        return r;
    }

    @Test
    void comparesTheDefaultConfigurationWithTheSocket() {
        List<SystemRounds> results = List.of(
                SystemRounds.of(system(Targets.SOCKET, 20, 40, 10, 400_000)),
                SystemRounds.of(system(Targets.DEFAULT, 4, 40, 16, 9_000_000)));
        List<Targets.Target> targets = Targets.of(results, new IdleBaseline(0.01, 0.008, 0.009, 0.010, 0.012), 5);
        assertEquals(6, targets.size(), targets.toString());
        Targets.Target paced = targets.get(0);
        assertEquals(40.0, paced.ours());
        assertEquals(1.0, paced.ratio());
        assertTrue(paced.met(), "at most 1.0x");
        Targets.Target cpu = targets.get(2);
        assertEquals(1.6, cpu.ratio(), 1e-9);
        assertFalse(cpu.met(), "at most 1.5x");
        Targets.Target b2b = targets.get(3);
        assertEquals(5.0, b2b.ratio());
        assertTrue(b2b.met(), "5x faster");
        assertTrue(targets.get(4).met(), "22.5x the socket's rate");
        Targets.Target idle = targets.get(5);
        assertEquals(22.0, idle.ours(), 1e-9);
        assertEquals(17.0, idle.peer(), 1e-9);
        assertTrue(idle.met(), "1.29x, but within the 20 ms slack");

        String tsv = TsvReport.render(results, new IdleBaseline(0.01, 0.008, 0.009, 0.010, 0.012), targets);
        assertTrue(tsv.contains("figure\trapace default executor\tb2b_p50_us_16B\t4\n"), tsv);
        assertTrue(tsv.contains("figure\tuds (blocking)\tserver_stream_msgs_per_s_16B\t400000\n"), tsv);
        assertFalse(tsv.contains("b2b_p50_us_1KiB"), "an unmeasured figure has no line");
        assertTrue(tsv.contains("target\t" + paced.label() + "\t40\t40\t1\tmet\n"), tsv);
        assertTrue(tsv.contains("target\t" + cpu.label() + "\t32\t20\t1.6\tnot met\n"), tsv);
    }

    @Test
    void theIdleTargetAllowsTenPercentOrTwentyMillisecondsWhicheverIsLarger() {
        Targets.Target idle = last(Targets.of(List.of(), new IdleBaseline(0.01, 0.5, 0.5, 0.6, 0.55), 5));
        assertTrue(idle.label().contains("idle"), idle.label());
        assertEquals(1150.0, idle.ours(), 1e-9);
        assertEquals(1.15, idle.ratio(), 1e-9);
        assertFalse(idle.met(), "1,150 ms against at most 1,100 ms");
        assertTrue(last(Targets.of(List.of(), new IdleBaseline(0.01, 0.5, 0.5, 0.5, 0.5), 5)).met(),
                "as much as the baseline");
        assertTrue(Targets.of(List.of(), RpcBenchmark.IdleBaseline.NONE, 0).isEmpty(), "no idle window, no target");
    }

    private static Targets.Target last(List<Targets.Target> targets) {
        return targets.get(targets.size() - 1);
    }
}
