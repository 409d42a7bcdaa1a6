package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The hosts a process test builds, what their listeners heard ({@link #transitions}: {@code "<id> <from>-><to>"}) and
 * the plugin processes they started ({@link #pids}); {@link #closeAndCheck()} closes every host and checks, within a
 * guard, that none of those processes still runs.
 */
final class HostsUnderTest {
    static final Duration GUARD = Duration.ofSeconds(60);

    final List<Long> pids = new CopyOnWriteArrayList<>();
    final List<String> transitions = new CopyOnWriteArrayList<>();
    private final List<PluginHost> hosts = new ArrayList<>();

    /** A builder whose stat file goes to {@code statDirectory}, without a shutdown hook, heard by this fixture. */
    PluginHost.Builder builder(Path statDirectory) {
        return PluginHost.builder().statDirectory(statDirectory).shutdownHook(false)
                .listener((id, from, to, pid, detail) -> {
                    transitions.add(id + " " + from.displayName() + "->" + to.displayName());
                    if (pid > 0) {
                        pids.add(pid);
                    }
                });
    }

    /** Builds {@code builder}'s host and closes it at the end. */
    PluginHost build(PluginHost.Builder builder) throws IOException {
        PluginHost host = builder.build();
        hosts.add(host);
        return host;
    }

    void closeAndCheck() {
        for (PluginHost host : hosts) {
            host.close();
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.onExit().completeOnTimeout(p, GUARD.toSeconds(), TimeUnit.SECONDS).join();
                assertFalse(p.isAlive(), "process " + pid + " still runs");
            });
        }
    }
}
