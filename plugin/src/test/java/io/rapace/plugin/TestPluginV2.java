package io.rapace.plugin;

import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import java.nio.charset.StandardCharsets;

/** "Version 2" of {@link TestPlugin} for the discovery tests: the same, initialised with the configuration "v2". */
public final class TestPluginV2 {
    private TestPluginV2() {
    }

    public static void main(String[] args) {
        PluginMain.serve(args, host -> {
            Plugin v1 = new TestPlugin(host);
            return new Plugin() {
                @Override
                public void initialize(PluginConfig config) {
                    v1.initialize(new PluginConfig(config.pluginId(), "v2".getBytes(StandardCharsets.UTF_8)));
                }

                @Override
                public ProcessResponse process(ProcessRequest request) {
                    return v1.process(request);
                }

                @Override
                public void shutdown() {
                    v1.shutdown();
                }
            };
        });
    }
}
