package io.rapace.plugin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what is logged to one java.util.logging logger (the default backend of {@link System.Logger}), and keeps
 * it off the console. Holds the logger strongly, since java.util.logging forgets unreferenced loggers.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    static LogCapture of(String loggerName) {
        Logger logger = Logger.getLogger(loggerName);
        LogCapture capture = new LogCapture(logger);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
        notifyAll();
    }

    /** The messages logged at {@code level}, in order. */
    synchronized List<String> messages(Level level) {
        List<String> messages = new ArrayList<>();
        for (LogRecord record : records) {
            if (record.getLevel().equals(level)) {
                messages.add(record.getMessage());
            }
        }
        return messages;
    }

    /** Waits until {@code message} was logged at any level; false on timeout. */
    synchronized boolean await(String message, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.stream().noneMatch(r -> r.getMessage().equals(message))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
    }
}
