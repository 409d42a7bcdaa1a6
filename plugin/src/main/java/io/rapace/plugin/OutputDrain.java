package io.rapace.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads one output stream of a plugin process on its own daemon thread until end of file, logging each line. The
 * thread reads whether or not the level is enabled, so a plugin never blocks on a full pipe. A line longer than
 * {@link #MAX_LINE} bytes is logged in pieces of that size rather than buffered without bound.
 */
final class OutputDrain implements Runnable {
    static final int MAX_LINE = 8192;

    private final InputStream in;
    private final Logger logger;
    private final Level level;
    private final String tag;
    private final CountDownLatch done = new CountDownLatch(1);

    private OutputDrain(InputStream in, Logger logger, Level level, String tag) {
        this.in = in;
        this.logger = logger;
        this.level = level;
        this.tag = tag;
    }

    /** Starts a daemon thread named {@code threadName} that logs each line of {@code in} as {@code tag + line}. */
    static OutputDrain start(InputStream in, Logger logger, Level level, String tag, String threadName) {
        OutputDrain drain = new OutputDrain(in, logger, level, tag);
        Thread thread = new Thread(drain, threadName);
        thread.setDaemon(true);
        thread.start();
        return drain;
    }

    /** Waits until the stream reached its end (or failed) and every line was logged. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[MAX_LINE];
        byte[] line = new byte[MAX_LINE];
        int lineLength = 0;
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line, lineLength);
                        lineLength = 0;
                    } else {
                        if (lineLength == MAX_LINE) {
                            emit(line, lineLength);
                            lineLength = 0;
                        }
                        line[lineLength++] = b;
                    }
                }
            }
            if (lineLength > 0) {
                emit(line, lineLength);
            }
        } catch (IOException e) {
            // The pipe closed under us (the process was killed): nothing more to log.
        } finally {
            done.countDown();
        }
    }

    private void emit(byte[] line, int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        if (logger.isLoggable(level)) {
            logger.log(level, tag + new String(line, 0, end, StandardCharsets.UTF_8));
        }
    }
}
