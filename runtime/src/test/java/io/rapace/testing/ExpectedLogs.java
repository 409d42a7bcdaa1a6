package io.rapace.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds what the project's loggers ({@code io.rapace.*}, through {@code System.Logger} and so
 * {@code java.util.logging}) log during each test, so that a test which provokes a logged fault on purpose asserts the
 * line instead of printing it:
 *
 * <pre>{@code
 * @RegisterExtension final ExpectedLogs logs = new ExpectedLogs();
 * ...
 * logs.expect(Level.WARNING, "dropped an invalid frame");
 * }</pre>
 *
 * <p>{@link #expect} waits (up to a guard, for loggers on other threads) for a record at that level whose message
 * contains the text, and takes it. When the test ends, every record no test took is printed as it would have been
 * without this extension: a warning nobody expected still shows in the build's output.
 */
public final class ExpectedLogs implements BeforeEachCallback, AfterEachCallback {
    private static final Duration GUARD = Duration.ofSeconds(10);

    private final String loggerName;
    private final List<LogRecord> records = new ArrayList<>();
    private Logger logger;
    private Handler handler;
    private boolean parentHandlers;

    /** Holds the records of every project logger. */
    public ExpectedLogs() {
        this("io.rapace");
    }

    /** Holds the records of {@code loggerName} and the loggers below it. */
    public ExpectedLogs(String loggerName) {
        this.loggerName = loggerName;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        logger = Logger.getLogger(loggerName);
        parentHandlers = logger.getUseParentHandlers();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                record.getSourceClassName(); // infers the caller now, while it is on the stack
                synchronized (records) {
                    records.add(record);
                    records.notifyAll();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
        List<LogRecord> untaken;
        synchronized (records) {
            untaken = new ArrayList<>(records);
            records.clear();
        }
        for (LogRecord record : untaken) {
            logger.log(record);
        }
    }

    /**
     * Waits for a record at {@code level} whose message (with its parameters filled in) contains {@code text}, takes
     * it out of what the test end prints, and returns its formatted message; fails the test if none comes.
     */
    public String expect(System.Logger.Level level, String text) {
        Level julLevel = julLevel(level);
        long until = System.nanoTime() + GUARD.toNanos();
        synchronized (records) {
            while (true) {
                for (Iterator<LogRecord> it = records.iterator(); it.hasNext(); ) {
                    LogRecord record = it.next();
                    String message = message(record);
                    if (record.getLevel().equals(julLevel) && message.contains(text)) {
                        it.remove();
                        return message;
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    fail("no " + level + " record containing \"" + text + "\" was logged; logged: "
                            + records.stream().map(r -> r.getLevel() + " " + message(r))
                                    .collect(Collectors.joining("; ", "[", "]")));
                }
                try {
                    records.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for a log record", e);
                }
            }
        }
    }

    /** Takes every record at {@code level} whose message contains {@code text}; returns how many there were. */
    public int takeAll(System.Logger.Level level, String text) {
        Level julLevel = julLevel(level);
        int taken = 0;
        synchronized (records) {
            for (Iterator<LogRecord> it = records.iterator(); it.hasNext(); ) {
                LogRecord record = it.next();
                if (record.getLevel().equals(julLevel) && message(record).contains(text)) {
                    it.remove();
                    taken++;
                }
            }
        }
        return taken;
    }

    /**
     * Takes every record logged so far at {@code level} and returns their messages in order (for a test that asserts a
     * logger's whole output).
     */
    public List<String> messages(System.Logger.Level level) {
        Level julLevel = julLevel(level);
        List<String> taken = new ArrayList<>();
        synchronized (records) {
            for (Iterator<LogRecord> it = records.iterator(); it.hasNext(); ) {
                LogRecord record = it.next();
                if (record.getLevel().equals(julLevel)) {
                    it.remove();
                    taken.add(message(record));
                }
            }
        }
        return taken;
    }

    /** The records logged so far and not taken, as {@code LEVEL message} lines. */
    public List<String> remaining() {
        synchronized (records) {
            return records.stream().map(r -> r.getLevel() + " " + message(r)).toList();
        }
    }

    private static String message(LogRecord record) {
        Object[] parameters = record.getParameters();
        String message = record.getMessage() == null ? "" : record.getMessage();
        if (parameters == null || parameters.length == 0) {
            return message;
        }
        return java.text.MessageFormat.format(message, parameters);
    }

    private static Level julLevel(System.Logger.Level level) {
        return switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
    }
}
