package io.rapace.calculator;

import io.rapace.rpc.RpcStream;

/**
 * The calculator's plain implementation (written by hand, unlike the generated files beside it), served by the tests
 * of every transport; a test overrides a method to change one behaviour.
 */
public class Arithmetic implements Calculator {
    @Override
    public long add(long a, long b) {
        return a + b;
    }

    @Override
    public Stats sum(RpcStream<Long> requests) {
        int count = 0;
        long sum = 0;
        for (long n : requests) {
            count++;
            sum += n;
        }
        return new Stats(count, sum);
    }

    @Override
    public RpcStream<Long> countTo(long limit) {
        return RpcStream.generate(out -> {
            for (long i = 1; i <= limit; i++) {
                out.send(i);
            }
        });
    }

    @Override
    public RpcStream<Long> runningTotal(RpcStream<Long> requests) {
        return RpcStream.generate(out -> {
            long total = 0;
            for (long n : requests) {
                total += n;
                out.send(total);
            }
        });
    }
}
