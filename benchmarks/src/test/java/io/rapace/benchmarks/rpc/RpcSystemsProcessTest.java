package io.rapace.benchmarks.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.benchmarks.harness.Children;
import io.rapace.shm.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each system of {@link RpcBenchmark} makes a handful of real calls, its server in a child JVM: echoes come back
 * whole, server, client and bidi streams arrive (or are acknowledged) complete, concurrent callers are served
 * where the system takes them, the peer reports its allocations, and closing the system ends its child and leaves
 * no file of ours in {@code /dev/shm}; the idle baseline's JVMs start (the session's two connected) and stop.
 * Times nothing.
 */
class RpcSystemsProcessTest {
    static Stream<String> systems() {
        return RpcBenchmark.systems().stream().map(RpcSystem::name);
    }

    @ParameterizedTest
    @MethodSource("systems")
    void echoesAndStreamsThenEndsItsPeer(String name) throws Exception {
        Set<Path> filesBefore = ownShmFiles();
        RpcSystem system = RpcBenchmark.systems().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow();
        List<Process> started;
        try (Children children = new Children()) {
            try (system) {
                system.start(children);
                for (int size : new int[] {0, 16, 1024, 65536}) {
                    byte[] request = new byte[size];
                    for (int i = 0; i < size; i++) {
                        request[i] = (byte) (i * 31 + size);
                    }
                    for (int call = 0; call < 3; call++) {
                        assertArrayEquals(request, system.unary(request), size + " B echo");
                    }
                }
                for (RpcBenchmark.StreamCall stream : List.<RpcBenchmark.StreamCall>of(system::serverStream,
                        system::clientStream, system::bidiStream)) {
                    assertEquals(5 * 16, stream.run(5, 16));
                    assertEquals(3 * 65536, stream.run(3, 65536));
                    assertEquals(1000 * 1024, stream.run(1000, 1024));
                }
                if (system.concurrentUnary()) {
                    assertTrue(RpcBenchmark.throughput(Collections.nCopies(4, system), 500) > 0, // long enough for a cold JVM
                            "calls of four concurrent callers");
                }
                for (Process peer : children.started()) {
                    assertTrue(AllocatedBytes.ofPeer(children, peer) > 0, "the bytes the peer's threads allocated");
                }
                if (system.sibling() != null) {
                    assertTrue(RpcBenchmark.pluginThroughput(system, 2, 50, 50, children) > 0,
                            "calls of one caller each to two plugins");
                    assertFalse(children.started().get(1).isAlive(), "the second plugin outlived its measurement");
                }
            }
            started = children.started();
            for (Process p : started) {
                assertFalse(p.isAlive(), "peer " + p.pid() + " outlived close()");
                assertEquals(0, p.exitValue(), "peer " + p.pid() + " exit status");
            }
        }
        assertEquals(name.equals("grpc in-process") ? 0 : name.startsWith("rapace ") ? 2 : 1, started.size(),
                "child JVMs");
        assertEquals(filesBefore, ownShmFiles(), "files of this process in /dev/shm");
    }

    @Test
    void theIdleBaselineMeasuresTwoIdleJvmsAndAQuietSessionThenStopsThem() throws Exception {
        try (Children children = new Children()) {
            RpcBenchmark.IdleBaseline idle = RpcBenchmark.idleBaseline(children, 1);
            assertTrue(idle.harness() >= 0 && idle.firstJvm() >= 0 && idle.secondJvm() >= 0 && idle.sessionHost() > 0
                    && idle.sessionPeer() >= 0, idle.toString());
            assertEquals(4, children.started().size(), "two idle JVMs, a session's host and plugin");
            for (Process p : children.started()) {
                assertFalse(p.isAlive(), "idle JVM " + p.pid() + " outlived the baseline");
            }
        }
    }

    private static Set<Path> ownShmFiles() throws IOException {
        String prefix = Segment.FILE_PREFIX + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(Segment.DEFAULT_DIRECTORY)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).collect(Collectors.toSet());
        }
    }
}
