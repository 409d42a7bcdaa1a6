package io.rapace.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.shm.ShmFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * The interceptor contract across two real JVMs over one {@link RpcSession}: this test is the host (PeerA) and the
 * caller; an {@link RpcPeerMain} child started with {@code intercepted} serves the calculator behind the server-side
 * interceptors and prints their events on its standard output, which this test reads.
 */
class InterceptorsProcessTest extends InterceptorContract {
    private final List<Long> pids = new ArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private Process child;
    private RpcSession session;

    @Override
    CallChannel channel() throws Exception {
        if (session == null) {
            session = connect();
        }
        return session;
    }

    @Override
    String nextServerEvent() throws InterruptedException {
        return events.poll(GUARD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RpcSession connect() throws Exception {
        RpcSession.Listening listening = RpcSession.builder()
                .config(SessionConfig.builder().peerId("host").build())
                .listen();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-Xshare:auto",
                RpcPeerMain.class.getName(), listening.segmentPath().toString(), listening.socketPath().toString(),
                "intercepted");
        child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        pids.add(child.pid());
        Process p = child;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("EVENT ")) {
                        events.add(line.substring("EVENT ".length()));
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child stdout");
        reader.setDaemon(true);
        reader.start();
        RpcSession rpc = listening.accept(GUARD);
        assertEquals("child", rpc.peerId());
        return rpc;
    }

    @AfterEach
    void reclaim() throws Exception {
        if (session != null) {
            session.close();
        }
        if (child != null) {
            child.destroyForcibly();
            assertTrue(child.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "child did not exit");
        }
        pids.add(ProcessHandle.current().pid());
        assertEquals(List.of(), ShmFiles.leftBy(pids.stream().mapToLong(Long::longValue).toArray()),
                "files of ours left in /dev/shm");
    }
}
