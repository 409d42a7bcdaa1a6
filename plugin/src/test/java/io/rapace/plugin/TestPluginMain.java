package io.rapace.plugin;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The child process of {@link PluginProcessTest}: {@code talk <exit code> [args...]} prints to stdout and stderr,
 * floods stderr with more than a pipe holds, and exits with the code; {@code sleep} prints "ready" and sleeps until
 * it is ended.
 */
public final class TestPluginMain {
    static final int FLOOD_LINES = 1100;
    static final int FLOOD_LINE_LENGTH = 1000;
    static final int LONG_LINE_LENGTH = 20_000;

    private TestPluginMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, false, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "talk":
                out.println("greeting=" + System.getProperty("plugin.greeting"));
                out.println("args=" + Arrays.toString(Arrays.copyOfRange(args, 2, args.length)));
                out.println("unicode=h\u00e9llo \u2603");
                out.flush();
                err.println("err: starting");
                // About 1.1 MB with nobody reading would block this process on its full pipe.
                String line = "x".repeat(FLOOD_LINE_LENGTH);
                for (int i = 0; i < FLOOD_LINES; i++) {
                    err.println(line);
                }
                err.println("y".repeat(LONG_LINE_LENGTH));
                err.flush();
                out.println("done");
                out.flush();
                System.exit(Integer.parseInt(args[1]));
                break;
            case "sleep":
                out.println("ready");
                out.flush();
                Thread.sleep(60_000);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }
}
