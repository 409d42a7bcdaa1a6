package io.rapace.samples.echo;

import io.rapace.config.SessionConfig;
import io.rapace.rpc.RpcSession;
import java.nio.file.Path;

/**
 * The child JVM of {@link EchoProcessTest}: connects as PeerB to the segment and socket on its command line, serves a
 * {@link ProbingEcho} through the generated {@link EchoDispatcher} and the IDL {@link EchoStatus} (how many echoes it
 * served) through {@link EchoStatusDispatcher}, prints {@code READY <pid>}, and exits once the session ended,
 * printing {@code CLOSED <cause>}.
 */
public final class EchoPeerMain {
    private EchoPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProbingEcho echo = new ProbingEcho();
        RpcSession rpc = RpcSession.builder()
                .config(SessionConfig.builder().peerId("echo-child").build())
                .serve(new EchoDispatcher(echo))
                .serve(new EchoStatusDispatcher(echo::echoes))
                .connect(Path.of(args[0]), Path.of(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        System.out.println("CLOSED " + rpc.closed().get());
        System.out.flush();
    }
}
