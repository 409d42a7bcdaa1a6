package io.rapace.benchmarks.rpc;

import io.rapace.benchmarks.rpc.RpcBenchmark.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One system over the rounds of a run: each round's {@link Result}, in round order, and each figure's median and
 * spread over them. A run without {@code --rounds} has one round.
 */
final class SystemRounds {
    final String system;
    final String note;
    final List<Result> rounds = new ArrayList<>();

    SystemRounds(String system, String note) {
        this.system = system;
        this.note = note;
    }

    /** One system measured once. */
    static SystemRounds of(Result only) {
        SystemRounds s = new SystemRounds(only.system, only.note);
        s.rounds.add(only);
        return s;
    }

    /** {@code figure} of every round: its median and spread. */
    Spread spread(ToDoubleFunction<Result> figure) {
        return Spread.of(rounds.stream().mapToDouble(figure).toArray());
    }

    /** The median of {@code figure} over the rounds; NaN if no round measured it. */
    double median(ToDoubleFunction<Result> figure) {
        return spread(figure).median();
    }

    /** Whether any round measured unary calls (false for a system that does not, {@link RpcSystem#measuresUnary}). */
    boolean unaryMeasured() {
        return rounds.stream().anyMatch(r -> r.unaryMeasured);
    }

    /** Why rounds failed, each prefixed with its round when there are several; empty if none did. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            String failure = rounds.get(i).failure;
            if (failure != null) {
                failures.add(rounds.size() == 1 ? failure : "round " + (i + 1) + ": " + failure);
            }
        }
        return failures;
    }

    /** The samples of every round together, sorted, as one {@link Result} (for the latency chart). */
    Result pooled() {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        Result all = new Result(system, note);
        for (Result r : rounds) {
            pool(all.backToBack, r.backToBack);
            pool(all.paced, r.paced);
        }
        return all;
    }

    private static void pool(Map<Integer, long[]> into, Map<Integer, long[]> from) {
        from.forEach((size, sorted) -> into.merge(size, sorted, (a, b) -> {
            long[] both = new long[a.length + b.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            Arrays.sort(both);
            return both;
        }));
    }
}
