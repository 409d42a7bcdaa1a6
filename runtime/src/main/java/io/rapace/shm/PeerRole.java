package io.rapace.shm;

/** The two ends of a segment: PeerA creates it (the host), PeerB attaches to it (the plugin). */
public enum PeerRole {
    PEER_A,
    PEER_B;

    /** The other end. */
    public PeerRole other() {
        return this == PEER_A ? PEER_B : PEER_A;
    }

    /** "A" or "B", for messages such as "ring A->B". */
    String letter() {
        return this == PEER_A ? "A" : "B";
    }
}
