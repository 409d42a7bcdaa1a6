package io.rapace.rpc;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.config.SessionConfig;
import io.rapace.config.WakeMode;
import java.nio.file.Path;

/**
 * The child JVM of {@link RpcSessionProcessTest} and the session contract tests: connects as PeerB to the segment
 * and socket on its command line, serves {@link Probe} and the calculator, prints
 * {@code READY <pid> <memory backend>}, and exits once the session ended, printing
 * {@code CLOSED <cause>}. Options after the two paths: {@code direct} serves unary methods in direct mode,
 * {@code spin} uses the spin wake mode, {@code intercepted} serves the calculator behind
 * {@link InterceptorFixture#serverSide} and prints each of its events as {@code EVENT <event>}, {@code virtual} runs
 * handlers on virtual threads (JDK 21+), {@code lifecycle} answers Initialize by printing {@code INITIALIZE <config>}
 * (refusing the config {@code refuse} with FAILED_PRECONDITION, failing on {@code boom}) and Shutdown by printing
 * {@code SHUTDOWN}.
 */
public final class RpcPeerMain {
    private RpcPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        java.util.List<String> options = java.util.Arrays.asList(args).subList(2, args.length);
        boolean direct = options.contains("direct");
        ServiceDispatcher calculator = new CalculatorDispatcher(new Arithmetic());
        if (options.contains("intercepted")) {
            calculator = InterceptorFixture.serverSide(calculator, event -> {
                System.out.println("EVENT " + event);
                System.out.flush();
            });
        }
        RpcSession.Builder builder = RpcSession.builder();
        if (options.contains("virtual")) {
            builder.executor(HandlerExecutors.newVirtualThreadPerTaskExecutor());
        }
        if (options.contains("lifecycle")) {
            builder.lifecycle(new Lifecycle() {
                @Override
                public void initialize(byte[] config) {
                    String text = new String(config, java.nio.charset.StandardCharsets.UTF_8);
                    if (text.equals("refuse")) {
                        throw new RpcException(ErrorCode.FAILED_PRECONDITION, "refused: " + text);
                    }
                    if (text.equals("boom")) {
                        throw new IllegalStateException("boom");
                    }
                    System.out.println("INITIALIZE " + text);
                    System.out.flush();
                }

                @Override
                public void shutdown() {
                    System.out.println("SHUTDOWN");
                    System.out.flush();
                }
            });
        }
        RpcSession rpc = builder
                .config(SessionConfig.builder().peerId("child").wakeMode(options.contains("spin")
                        ? io.rapace.config.WakeMode.SPIN : io.rapace.config.WakeMode.BLOCKING).build())
                .serve(new Probe())
                .serve(calculator)
                .directHandlers(direct)
                .connect(Path.of(args[0]), Path.of(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid() + " " + rpc.backend());
        System.out.flush();
        System.out.println("CLOSED " + rpc.closed().get());
        System.out.flush();
    }
}
