package io.rapace.session;

/** The handshake refusals on the chronicle memory backend. */
class ChronicleHandshakeTest extends AbstractHandshakeTest {
    @Override
    public String backend() {
        return "chronicle";
    }
}
