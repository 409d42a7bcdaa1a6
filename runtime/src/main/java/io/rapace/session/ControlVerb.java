package io.rapace.session;

/** The method ids of channel 0's session verbs ({@code docs/segment-format.md}); 1..4 are reserved. */
final class ControlVerb {
    static final int PING = 5;
    static final int PONG = 6;
    static final int LIST_SERVICES = 7;
    static final int GET_SERVICE = 8;
    static final int GET_METHOD = 9;
    static final int GET_SCHEMA = 10;
    static final int INITIALIZE = 11;
    static final int SHUTDOWN = 12;
    static final int HELLO = 13;
    static final int GO_AWAY = 14;

    private ControlVerb() {
    }
}
