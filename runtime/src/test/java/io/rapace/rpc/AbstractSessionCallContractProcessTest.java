package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.calculator.Arithmetic;
import io.rapace.calculator.CalculatorDispatcher;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import io.rapace.registry.TypeSchema;
import io.rapace.config.SessionConfig;
import io.rapace.testing.ChildLogs;
import io.rapace.shm.MemoryBackendTest;
import io.rapace.shm.ShmFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The call contract across two real JVMs over one {@link RpcSession} on a memory backend: this JVM is the host
 * (PeerA) and an {@link RpcPeerMain} child the peer (PeerB), both on {@link #backend()} and {@link #executors()}. The
 * cases that leave the session usable share one child per class (a JVM start is the dearest part of a case); the peer
 * death and GoAway cases get their own. After the class, every child is gone and /dev/shm holds nothing of any of
 * the processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSessionCallContractProcessTest extends AbstractCallContractTest implements MemoryBackendTest {
    private final List<Long> pids = new ArrayList<>();
    private final List<SessionConnection> perCase = new ArrayList<>();
    private SessionConnection shared;

    @BeforeAll
    void selectBackend() {
        useBackend();
    }

    @AfterEach
    void reclaimThisCasesChildren() throws Exception {
        for (SessionConnection connection : perCase) {
            connection.end();
        }
        perCase.clear();
    }

    @AfterAll
    void reclaimEverything() throws Exception {
        try {
            if (shared != null) {
                shared.end();
            }
        } finally {
            MemoryBackendTest.restoreDefault();
        }
        pids.add(ProcessHandle.current().pid());
        assertEquals(List.of(), ShmFiles.leftBy(pids.stream().mapToLong(Long::longValue).toArray()),
                "files of ours left in /dev/shm");
    }

    /** JVM options of the child besides those of its backend. */
    List<String> childJvmOptions() {
        return List.of();
    }

    @Override
    Connection shared() throws Exception {
        if (shared == null) {
            shared = new SessionConnection();
        }
        return shared;
    }

    @Override
    Connection fresh() throws Exception {
        SessionConnection connection = new SessionConnection();
        perCase.add(connection);
        return connection;
    }

    /** The shared child's warnings, which it writes one to a line on its stderr. */
    @Override
    String peerWarning(String text) throws Exception {
        return ((SessionConnection) shared()).childLogs.expect(text);
    }

    /** This JVM's session to one child. */
    final class SessionConnection implements Connection {
        final Probe probe = new Probe();
        ChildLogs childLogs;
        final ExecutorService executor;
        final Process child;
        final RpcSession rpc;
        final LinkedBlockingQueue<String> childLines = new LinkedBlockingQueue<>();

        SessionConnection() throws Exception {
            RpcSession.Builder builder = RpcSession.builder()
                    .config(SessionConfig.builder().peerId("host").build())
                    .serve(probe)
                    .serve(new CalculatorDispatcher(new Arithmetic()));
            executor = executors() == HandlerExecutors.VIRTUAL_THREADS
                    ? HandlerExecutors.newVirtualThreadPerTaskExecutor() : null;
            if (executor != null) {
                builder.executor(executor);
            }
            RpcSession.Listening listening = builder.listen();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                    "-Drapace.memory=" + backend(), ChildLogs.JVM_ARG));
            String jffiDir = System.getProperty("jffi.extract.dir");
            if (jffiDir != null) {
                cmd.add("-Djffi.extract.dir=" + jffiDir); // chronicle's native stub stays under target/
            }
            cmd.addAll(childJvmOptions());
            if (backend().equals("chronicle")) {
                cmd.addAll(Arrays.asList(System.getProperty("rapace.chronicle.flags",
                        "--add-opens java.base/java.lang.reflect=ALL-UNNAMED"
                                + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED").split(" ")));
            }
            cmd.addAll(List.of(RpcPeerMain.class.getName(), listening.segmentPath().toString(),
                    listening.socketPath().toString()));
            if (executors().childOption() != null) {
                cmd.add(executors().childOption());
            }
            child = new ProcessBuilder(cmd).start();
            childLogs = ChildLogs.of("contract child", child);
            pids.add(child.pid());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        childLines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            }, "contract child stdout");
            reader.setDaemon(true);
            reader.start();
            rpc = listening.accept(GUARD);
            assertEquals("child", rpc.peerId());
            assertEquals(backend(), rpc.backend());
            String ready = childLines.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(ready, "the child did not say READY");
            assertEquals("READY " + child.pid() + " " + backend(), ready);
        }

        @Override
        public CallChannel channel() {
            return rpc;
        }

        @Override
        public Probe local() {
            return probe;
        }

        @Override
        public PeerIntrospection introspection() {
            return new PeerIntrospection() {
                @Override
                public List<String> listServices(Duration timeout) {
                    return rpc.listServices(timeout);
                }

                @Override
                public ServiceDescriptor getService(String name, Duration timeout) {
                    return rpc.getService(name, timeout);
                }

                @Override
                public MethodDescriptor getMethod(int methodId, Duration timeout) {
                    return rpc.getMethod(methodId, timeout);
                }

                @Override
                public TypeSchema getSchema(String typeName, Duration timeout) {
                    return rpc.getSchema(typeName, timeout);
                }

                @Override
                public ServiceRegistry fetchRegistry(Duration timeout) {
                    return rpc.fetchRegistry(timeout);
                }
            };
        }

        @Override
        public void killPeer() throws Exception {
            child.destroyForcibly();
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not die");
        }

        @Override
        public void close() {
            rpc.close();
        }

        void end() throws Exception {
            rpc.close();
            child.destroyForcibly();
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "child did not exit");
            childLogs.close();
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }
}
