package io.rapace.rpc;

/** The call contract across two JVMs on the chronicle memory backend, handlers on the sessions' default executor. */
class ChronicleSessionCallContractProcessTest extends AbstractSessionCallContractProcessTest {
    @Override
    public String backend() {
        return "chronicle";
    }

    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.DEFAULT;
    }
}
