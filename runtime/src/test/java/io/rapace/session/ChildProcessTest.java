package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.CloseCause;
import io.rapace.config.SessionConfig;
import io.rapace.shm.Frame;
import io.rapace.shm.MemoryBackendTest;
import io.rapace.shm.ShmFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Support for tests with two real JVMs: this one and {@link PeerMain} children started with the same class path and
 * memory backend. Every wait is bounded (a guard against hangs, never a speed target); after every test the children
 * are gone and no file of this process or of a child is left in {@code /dev/shm}.
 */
abstract class ChildProcessTest implements MemoryBackendTest {
    static final Duration GUARD = Duration.ofSeconds(60);

    private final List<Process> children = new ArrayList<>();
    final List<Session> sessions = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    /** A started child and its stdout lines. */
    static final class Child {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Child(Process process) {
            this.process = process;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            }, "child-stdout-" + process.pid());
            t.setDaemon(true);
            t.start();
            this.reader = t;
        }

        /**
         * Waits (within the guard time) for the child to exit and for its stdout to reach end-of-file, so
         * {@link #lines} holds every line it printed.
         */
        List<String> allLines() throws InterruptedException {
            assertTrue(process.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "child did not exit");
            reader.join(GUARD.toMillis());
            assertFalse(reader.isAlive(), "the child's stdout did not reach end-of-file");
            return new ArrayList<>(lines);
        }

        /** The next line starting with {@code prefix}, within the guard time. */
        String expect(String prefix) throws InterruptedException {
            long until = System.nanoTime() + GUARD.toNanos();
            while (System.nanoTime() < until) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("child exited with " + process.exitValue() + " before printing "
                            + prefix);
                }
            }
            throw new AssertionError("child printed no " + prefix + " line within " + GUARD);
        }

        long pid() {
            return process.pid();
        }
    }

    @BeforeEach
    void selectBackend() {
        useBackend();
    }

    @AfterEach
    void reclaim() throws Exception {
        for (Session s : sessions) {
            s.close();
        }
        for (Process p : children) {
            p.destroyForcibly();
            assertTrue(p.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS), "child did not exit");
        }
        MemoryBackendTest.restoreDefault();
        pids.add(ProcessHandle.current().pid());
        long[] all = pids.stream().mapToLong(Long::longValue).toArray();
        assertEquals(List.of(), ShmFiles.leftBy(all), "files of ours left in /dev/shm");
    }

    Child spawn(String... args) throws IOException {
        return spawn(List.of(), args);
    }

    Child spawn(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-XX:+UseSerialGC");
        String jffiDir = System.getProperty("jffi.extract.dir");
        if (jffiDir != null) {
            cmd.add("-Djffi.extract.dir=" + jffiDir); // chronicle's native stub stays under target/
        }
        cmd.add("-Drapace.memory=" + backend());
        if (backend().equals("chronicle")) {
            cmd.addAll(Arrays.asList(System.getProperty("rapace.chronicle.flags",
                    "--add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED")
                    .split(" ")));
        }
        cmd.addAll(extraJvmArgs);
        cmd.add(PeerMain.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        if (mergeStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = builder.start();
        children.add(p);
        pids.add(p.pid());
        return new Child(p);
    }

    /** A listening host in this JVM and a child PeerB in {@code mode}, connected. */
    Session hostWith(SessionConfig config, SessionListener listener, String mode, String... extra) throws Exception {
        Session.Listening listening = Session.listen(config);
        assertEquals(backend(), listening.backend());
        List<String> args = new ArrayList<>(List.of(mode, listening.segmentPath().toString(),
                listening.socketPath().toString()));
        args.addAll(Arrays.asList(extra));
        Child child = spawn(args.toArray(new String[0]));
        lastChild = child;
        Session s = listening.accept(listener, GUARD);
        sessions.add(s);
        assertEquals("READY " + backend(), child.expect("READY"));
        assertFalse(Files.exists(listening.segmentPath()), "segment unlinked once both mapped it");
        assertFalse(Files.exists(listening.socketPath()), "socket path unlinked once the peer connected");
        return s;
    }

    Child lastChild;
    /** Whether the next children's stderr goes into {@link Child#lines} (after stdout's lines, unordered). */
    boolean mergeStderr;
    /** JVM options for the next children (e.g. class-load logging). */
    final List<String> extraJvmArgs = new ArrayList<>();

    static SessionConfig config() {
        return SessionConfig.builder().peerId("test-host").build();
    }

    /** Echoes of this host's frames, as the listener saw them. */
    static final class Echoes implements SessionListener {
        final LinkedBlockingQueue<byte[]> payloads = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseCause> closed = new CompletableFuture<>();
        final AtomicReference<String> detail = new AtomicReference<>();

        @Override
        public void onFrame(Session session, Frame frame) {
            payloads.add(frame.payloadBytes());
        }

        @Override
        public void onClosed(Session session, CloseCause cause, String d) {
            detail.set(d);
            closed.complete(cause);
        }

        byte[] next() throws InterruptedException {
            byte[] p = payloads.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(p, "no echo within " + GUARD);
            return p;
        }
    }
}
