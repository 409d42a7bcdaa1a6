package io.rapace.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts the project's warnings by kind instead of printing them, for runs that provoke thousands on purpose (the
 * reliability campaign): {@code kind} maps a warning's message to its kind, or to {@code null} for a warning that is
 * printed as usual. {@link #close} restores the loggers.
 */
public final class CountedLogs implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.rapace");
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Handler handler;
    private final boolean parents;

    public CountedLogs(Function<String, String> kind) {
        Handler print = new java.util.logging.ConsoleHandler();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                String k = record.getLevel().intValue() >= Level.WARNING.intValue() && message != null
                        ? kind.apply(message) : null;
                if (k != null) {
                    counts.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
                } else if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    print.publish(record);
                }
            }

            @Override
            public void flush() {
                print.flush();
            }

            @Override
            public void close() {
            }
        };
        parents = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** The counts so far, by kind, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parents);
    }
}
