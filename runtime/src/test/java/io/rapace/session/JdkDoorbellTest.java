package io.rapace.session;

/** The doorbell cases on the jdk memory backend. */
class JdkDoorbellTest extends AbstractDoorbellTest {
    @Override
    public String backend() {
        return "jdk";
    }
}
