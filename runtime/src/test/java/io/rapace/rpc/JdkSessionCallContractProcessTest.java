package io.rapace.rpc;

/** The call contract across two JVMs on the jdk memory backend, handlers on the sessions' default executor. */
class JdkSessionCallContractProcessTest extends AbstractSessionCallContractProcessTest {
    @Override
    public String backend() {
        return "jdk";
    }

    @Override
    HandlerExecutors executors() {
        return HandlerExecutors.DEFAULT;
    }
}
