package io.rapace.session;

/** The doorbell cases on the chronicle memory backend. */
class ChronicleDoorbellTest extends AbstractDoorbellTest {
    @Override
    public String backend() {
        return "chronicle";
    }
}
