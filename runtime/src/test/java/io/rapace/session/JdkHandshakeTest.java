package io.rapace.session;

/** The handshake refusals on the jdk memory backend. */
class JdkHandshakeTest extends AbstractHandshakeTest {
    @Override
    public String backend() {
        return "jdk";
    }
}
