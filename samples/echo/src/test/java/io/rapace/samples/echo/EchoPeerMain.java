package io.rapace.samples.echo;

import io.rapace.rpc.CallContext;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.RpcStream;
import io.rapace.session.SessionConfig;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link EchoProcessTest}: connects as PeerB to the segment and socket on its command line, serves
 * the echo service through the generated {@link EchoDispatcher} and the IDL {@link EchoStatus} through
 * {@link EchoStatusDispatcher}, prints {@code READY <pid>}, and exits once the session ended, printing
 * {@code CLOSED <cause>}. Echoing {@value #CALL_BACK} makes it call every method of the host's {@link Echo} back,
 * nested in that call, and answer with what came back.
 */
public final class EchoPeerMain {
    static final String CALL_BACK = "call back";

    private EchoPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        CallingBack echo = new CallingBack();
        RpcSession rpc = RpcSession.builder()
                .config(SessionConfig.builder().peerId("echo-child").build())
                .serve(new EchoDispatcher(echo))
                .serve(new EchoStatusDispatcher(echo.echoes::get))
                .connect(Path.of(args[0]), Path.of(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        System.out.println("CLOSED " + rpc.closed().get());
        System.out.flush();
    }

    /** {@link EchoService}, counting the echoes it served; echoing {@value #CALL_BACK} calls the caller back. */
    private static final class CallingBack implements Echo {
        private final EchoService service = new EchoService();
        private final AtomicLong echoes = new AtomicLong();

        @Override
        public String echo(String text) {
            echoes.incrementAndGet();
            if (!text.equals(CALL_BACK)) {
                return service.echo(text);
            }
            Echo host = new EchoClient(CallContext.current().peerChannel());
            return "echo=" + host.echo("hi")
                    + " repeat=" + host.repeat("ho", 2).toList()
                    + " count=" + host.count(RpcStream.of("a", "b", "c"))
                    + " shout=" + host.shout(RpcStream.of("x", "y")).toList();
        }

        @Override
        public RpcStream<String> repeat(String text, int times) {
            return service.repeat(text, times);
        }

        @Override
        public long count(RpcStream<String> texts) {
            return service.count(texts);
        }

        @Override
        public RpcStream<String> shout(RpcStream<String> texts) {
            return service.shout(texts);
        }
    }
}
