package io.rapace.rpc;

import java.time.Duration;
import java.util.Locale;

/** The budget of a call as it travels (remaining time, never a clock) and how its texts name a duration. */
final class Deadlines {
    private Deadlines() {
    }

    /**
     * The budget of a call made with {@code options} inside {@code parent} (the call of the handler making it, or
     * null): the smaller of its own timeout and the parent's remaining time; -1 for no deadline.
     *
     * @throws RpcException DEADLINE_EXCEEDED when the budget is already spent
     */
    static long budgetNanos(CallOptions options, CallContext parent) {
        boolean hasDeadline = options.timeout().isPresent();
        long budget = hasDeadline ? saturatedNanos(options.timeout().get()) : -1;
        if (parent != null && parent.hasDeadline()) {
            long inherited = parent.remainingNanos();
            budget = hasDeadline ? Math.min(budget, inherited) : inherited;
            hasDeadline = true;
        }
        if (hasDeadline && budget <= 0) {
            throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded before the call started");
        }
        return hasDeadline ? budget : -1;
    }

    /** What the caller reads when its deadline of {@code budgetNanos} passes. */
    static String exceeded(long budgetNanos) {
        return "deadline of " + describeNanos(budgetNanos) + " exceeded";
    }

    /** What the handler's side reports when the deadline of {@code budgetNanos} passes while it serves. */
    static String exceededWhileServing(long budgetNanos, String method) {
        return exceeded(budgetNanos) + " while serving " + method;
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static String describeNanos(long nanos) {
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + " us";
        }
        return nanos + " ns";
    }
}
