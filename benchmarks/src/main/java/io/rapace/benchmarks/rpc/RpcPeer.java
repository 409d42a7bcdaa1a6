package io.rapace.benchmarks.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of one {@link RpcSystem}, in a child JVM that {@link RpcBenchmark} starts with its own class path
 * and flags. The first argument names the system; the rest are its own. Prints {@code READY ...} on stdout once it
 * answers calls (everything else goes to stderr) and exits when its stdin reaches end-of-file, which happens when the
 * harness closes it or dies. A line {@value AllocatedBytes#REQUEST} on its stdin is answered on its stdout with
 * {@code ALLOCATED BYTES}, the bytes its threads have allocated so far ({@link AllocatedBytes}).
 *
 * <pre>
 * agrona FILE RING_BYTES COPY_OUT   two Agrona OneToOneRingBuffers over a mapped file, busy-spinning
 * aeron AERON_DIR COPY_OUT          an Aeron client of the host's media driver, IPC, busy-spinning
 * uds SOCKET                        a Unix-domain socket, blocking reads
 * grpc-netty                        a gRPC server on Netty, TCP loopback, ephemeral port (printed after READY)
 * rapace SEGMENT SOCKET MODE DIRECT the generated BenchDispatcher over an RpcSession
 * idle                              the idle baseline: runtime classes loaded, no session, nothing to answer
 * idle-host                         the host of the idle baseline's quiet session (LISTENING SEGMENT SOCKET, then
 *                                   READY once a rapace peer connected and answered its warm-up calls)
 * </pre>
 */
public final class RpcPeer {
    private static final PrintStream OUT = System.out;

    private RpcPeer() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        watchStdin();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "agrona":
                AgronaRpc.serve(rest);
                break;
            case "aeron":
                AeronRpc.serve(rest);
                break;
            case "uds":
                UdsRpc.serve(rest);
                break;
            case "grpc-netty":
                GrpcRpc.serve(rest);
                break;
            case "rapace":
                RapaceRpc.serve(rest);
                break;
            case "rapace-grpc":
                RapaceGrpcRpc.serve(rest);
                break;
            case "idle":
                RapaceRpc.idle();
                break;
            case "idle-host":
                RapaceRpc.idleHost();
                break;
            default:
                throw new IllegalArgumentException("unknown system " + args[0]);
        }
    }

    /** Prints one line to the harness (stdout). */
    static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    /** Answers the harness's requests on stdin; exits at its end-of-file. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(AllocatedBytes.REQUEST)) {
                        say(AllocatedBytes.REQUEST + " " + AllocatedBytes.ofThisJvm());
                    }
                }
            } catch (IOException e) {
                // as end-of-file
            }
            System.exit(0);
        }, "stdin-control");
        t.setDaemon(true);
        t.start();
    }
}
