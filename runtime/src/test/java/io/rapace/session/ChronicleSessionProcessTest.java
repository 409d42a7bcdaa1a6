package io.rapace.session;

/** The two-process session cases on the chronicle-core backend, in this JVM and in the child. */
class ChronicleSessionProcessTest extends AbstractSessionProcessTest {
    @Override
    public String backend() {
        return "chronicle";
    }
}
