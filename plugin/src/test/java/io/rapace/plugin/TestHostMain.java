package io.rapace.plugin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A host process for {@link HostDeathProcessTest}: starts a {@link PluginHost} publishing its stat file in the
 * directory given as the first argument, launches one {@link TestPlugin}, prints {@code PLUGIN <pid>} and
 * {@code STAT <file>}, then waits to be killed (SIGKILL: nothing runs) or terminated (SIGTERM: the shutdown hook closes
 * the host in order).
 */
public final class TestHostMain {
    private TestHostMain() {
    }

    public static void main(String[] args) throws Exception {
        PluginHost host = PluginHost.builder().statDirectory(Path.of(args[0])).build();
        PluginHost.PluginHandle plugin = host.launch(PluginSpec.sameClassPath("orphan", TestPlugin.class,
                "o".getBytes(StandardCharsets.UTF_8)));
        System.out.println("PLUGIN " + plugin.pid());
        System.out.println("STAT " + host.statFile().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
