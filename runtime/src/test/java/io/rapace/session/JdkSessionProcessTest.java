package io.rapace.session;

/** The two-process session cases on the default (JDK) memory backend. */
class JdkSessionProcessTest extends AbstractSessionProcessTest {
    @Override
    public String backend() {
        return "jdk";
    }
}
