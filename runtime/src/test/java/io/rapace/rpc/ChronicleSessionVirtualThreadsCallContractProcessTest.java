package io.rapace.rpc;

import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The call contract across two JVMs on the chronicle memory backend, every handler on a virtual thread on both sides.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class ChronicleSessionVirtualThreadsCallContractProcessTest extends AbstractSessionCallContractProcessTest {
    @Override
    public String backend() {
        return "chronicle";
    }

    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.VIRTUAL_THREADS;
    }
}
