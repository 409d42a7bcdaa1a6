package io.rapace.samples.chat;

import io.rapace.config.SessionConfig;
import io.rapace.rpc.RpcSession;
import java.nio.file.Path;

/**
 * The child JVM of {@link ChatProcessTest}: connects as PeerB to the segment and socket on its command line, serves a
 * {@link ProbingRoom} through the generated {@link ChatDispatcher}, prints {@code READY <pid>}, and exits once the
 * session ended, printing {@code CLOSED <cause>}.
 */
public final class ChatPeerMain {
    private ChatPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        RpcSession rpc = RpcSession.builder()
                .config(SessionConfig.builder().peerId("chat-child").build())
                .serve(new ChatDispatcher(new ProbingRoom()))
                .connect(Path.of(args[0]), Path.of(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        System.out.println("CLOSED " + rpc.closed().get());
        System.out.flush();
    }
}
