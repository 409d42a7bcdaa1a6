package io.rapace.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host process for {@link PluginLaunchProcessTest}: with its stat file and the plugins' records in the directory
 * of the first argument, launches a plugin that exits before connecting (the launch fails), then starts launching one
 * that never connects, prints {@code READY} once that one runs, and calls {@code System.exit(0)} while the launch
 * still waits. The second argument is {@code hook} (the host's shutdown hook closes it) or {@code nohook}.
 */
public final class LaunchAndExitMain {
    private LaunchAndExitMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PluginHost host = PluginHost.builder().statDirectory(dir).shutdownHook(args[1].equals("hook"))
                .connectTimeout(Duration.ofDays(1)).build();
        try {
            host.launch(RecordingPlugin.spec("quick", dir.resolve("quick.rec"), "exit 1"));
            System.out.println("LAUNCHED quick"); // not expected
        } catch (IOException e) {
            System.out.println("FAILED " + e.getMessage());
        }
        Thread slow = new Thread(() -> {
            try {
                host.launch(RecordingPlugin.spec("slow", dir.resolve("slow.rec"), "exec sleep 600"));
            } catch (IOException | RuntimeException e) {
                // the JVM is exiting
            }
        }, "launch-slow");
        slow.setDaemon(true);
        slow.start();
        RecordingPlugin.await(dir.resolve("slow.rec"), Duration.ofSeconds(60));
        System.out.println("READY");
        System.out.flush();
        System.exit(0);
    }
}
