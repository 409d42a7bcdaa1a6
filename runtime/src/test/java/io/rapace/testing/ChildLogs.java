package io.rapace.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The standard error of a child JVM a test started, held so that the test asserts the log lines it provokes there on
 * purpose instead of printing them. Start the child with {@link #JVM_ARG} (one line per log record: {@code LOG
 * <LEVEL> <logger>: <message>}) and {@code redirectError(PIPE)}, hand its process to {@link #of}, and {@link #close}
 * it when the child is gone: every line no test took is printed then, so an unexpected warning still shows.
 */
public final class ChildLogs {
    /** Makes {@code java.util.logging}'s default console output one line per record in the child. */
    public static final String JVM_ARG = "-Djava.util.logging.SimpleFormatter.format=LOG %4$s %3$s: %5$s%n";

    private static final Duration GUARD = Duration.ofSeconds(10);

    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildLogs(String name, Process process) {
        this.name = name;
        this.reader = new Thread(() -> read(process), name + "-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading the standard error of {@code process}; {@code name} prefixes what {@link #close} prints. */
    public static ChildLogs of(String name, Process process) {
        return new ChildLogs(name, process);
    }

    private void read(Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (lines) {
                lines.add("(reading the child's stderr failed: " + e + ")");
            }
        }
    }

    /** Waits for a line containing {@code text}, takes it and returns it; fails the test if none comes. */
    public String expect(String text) {
        long until = System.nanoTime() + GUARD.toNanos();
        synchronized (lines) {
            while (true) {
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.contains(text)) {
                        it.remove();
                        return line;
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    fail(name + " logged no line containing \"" + text + "\"; its stderr: " + lines);
                }
                try {
                    lines.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for " + name + "'s stderr", e);
                }
            }
        }
    }

    /** Waits briefly for the child's stderr to end, then prints every line no test took. */
    public void close() throws InterruptedException {
        reader.join(GUARD.toMillis());
        List<String> untaken;
        synchronized (lines) {
            untaken = new ArrayList<>(lines);
            lines.clear();
        }
        for (String line : untaken) {
            System.err.println("[" + name + "] " + line);
        }
    }
}
