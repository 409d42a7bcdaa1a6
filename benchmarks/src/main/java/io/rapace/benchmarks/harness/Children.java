package io.rapace.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of one harness run: each started with this JVM's class path, a peer main class and its arguments;
 * its stdout read line by line on a daemon thread (so a line is never lost between two {@link #expect} calls); its
 * stderr inherited. {@link #close()} kills every child still alive, by its own {@link Process} handle, and waits for
 * it, so a failed run leaves no process behind.
 */
public final class Children implements AutoCloseable {
    /** Bound on every wait for a child: a guard against hangs, not a speed target. */
    public static final long GUARD_SECONDS = 60;

    private final List<Process> started = new ArrayList<>();
    private final Map<Process, LinkedBlockingQueue<String>> stdout = new ConcurrentHashMap<>();

    /**
     * Starts {@code main} in a new JVM with this JVM's class path, {@code -Xmx512m -XX:+UseSerialGC}, then
     * {@code jvmArgs}, then {@code args}.
     */
    public synchronized Process spawn(Class<?> main, List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmArgs);
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        stdout.put(p, lines);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-stdout-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Every child started so far, in order. */
    public synchronized List<Process> started() {
        return List.copyOf(started);
    }

    /**
     * The next line of {@code child}'s stdout that starts with {@code prefix} (earlier lines are dropped), within
     * {@link #GUARD_SECONDS}.
     */
    public String expect(Process child, String prefix) throws IOException, InterruptedException {
        LinkedBlockingQueue<String> lines = stdout.get(child);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        while (System.nanoTime() < until) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !child.isAlive() && lines.isEmpty()) {
                throw new IOException("peer " + child.pid() + " exited with " + child.exitValue() + " before "
                        + prefix);
            }
        }
        throw new IOException("peer " + child.pid() + " printed no " + prefix + " in " + GUARD_SECONDS + " s");
    }

    /**
     * Waits up to 10 s for {@code child} to exit on its own (after its peer closed the connection or its stdin),
     * then kills it; returns once it is gone.
     */
    public static void reap(Process child) {
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(GUARD_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
    }

    /** Closes {@code child}'s stdin (a peer that watches it exits on end-of-file), then {@link #reap}s it. */
    public static void stop(Process child) {
        try {
            child.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        reap(child);
    }

    /** Kills every child still alive and waits for each to be gone. */
    @Override
    public synchronized void close() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println("child " + p.pid() + " still alive after SIGKILL and " + GUARD_SECONDS
                            + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
