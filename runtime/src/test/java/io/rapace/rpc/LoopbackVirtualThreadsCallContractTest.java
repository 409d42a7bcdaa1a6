package io.rapace.rpc;

import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** The call contract over the in-memory pair with every handler on a virtual thread, on both sides. */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class LoopbackVirtualThreadsCallContractTest extends LoopbackCallContractTest {
    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.VIRTUAL_THREADS;
    }
}
