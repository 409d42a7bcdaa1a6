package io.rapace.samples.pluginapi;

import io.rapace.plugin.PluginHost;
import io.rapace.plugin.PluginHost.PluginHandle;
import io.rapace.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what a plugin registered to start on demand costs its first caller: the time from a first call to a
 * {@code Dormant} plugin to its answer (a new JVM started, connected, initialised, then the call), for several
 * plugins one after another, and their median. {@code java -cp samples/plugin-api/target/plugin-api-demo.jar
 * io.rapace.samples.pluginapi.ColdStart [rounds]} (7 by default).
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Double> millis = new ArrayList<>();
        try (PluginHost host = PluginHost.builder().hostService(new FontsDispatcher(new FontTable())).build()) {
            for (int i = 0; i < rounds; i++) {
                PluginHandle handle = host.register(PluginSpec.sameClassPath("cold-" + i, TextRendererPlugin.class,
                        new byte[0]));
                Renderer renderer = handle.client(RendererClient::new);
                long start = System.nanoTime();
                renderer.wordCount("one two three");
                double elapsed = (System.nanoTime() - start) / 1e6;
                millis.add(elapsed);
                System.out.printf("round %d: first call answered after %.1f ms%n", i + 1, elapsed);
                host.shutdown(handle.id());
            }
        }
        List<Double> sorted = millis.stream().sorted().toList();
        System.out.printf("median of %d: %.1f ms (min %.1f, max %.1f)%n", rounds, sorted.get(rounds / 2),
                sorted.get(0), sorted.get(rounds - 1));
    }
}
