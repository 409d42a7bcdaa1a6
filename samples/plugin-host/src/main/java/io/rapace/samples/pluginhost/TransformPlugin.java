package io.rapace.samples.pluginhost;

import io.rapace.plugin.PluginMain;
import io.rapace.plugin.api.GetRequest;
import io.rapace.plugin.api.HostServices;
import io.rapace.plugin.api.LogLevel;
import io.rapace.plugin.api.LogRequest;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.plugin.api.SetRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The "transform" plugin: {@code transform} rewrites its data as its configuration says ({@code mode=uppercase} or
 * {@code mode=reverse}), prefixed with the previous result it finds in the host's storage under
 * {@code last_transform} (kept by the host across this plugin's restarts), and stores the new result there;
 * {@code crash} logs a warning and ends its process at once with status {@value #CRASH_STATUS}, as a plugin that
 * dies would.
 */
public final class TransformPlugin implements Plugin {
    static final String LAST_KEY = "last_transform";
    static final int CRASH_STATUS = 42;

    private final HostServices host;
    private volatile String mode = "uppercase";

    TransformPlugin(HostServices host) {
        this.host = host;
    }

    public static void main(String[] args) {
        PluginMain.serve(args, TransformPlugin::new);
    }

    @Override
    public void initialize(PluginConfig config) {
        String text = new String(config.configData(), StandardCharsets.UTF_8);
        if (text.startsWith("mode=")) {
            mode = text.substring("mode=".length());
        }
        log(LogLevel.INFO, "Initialized with config: " + text + " (pid " + ProcessHandle.current().pid() + ")");
    }

    @Override
    public ProcessResponse process(ProcessRequest request) {
        switch (request.operation()) {
            case "transform" -> {
                log(LogLevel.INFO, "Processing started");
                String data = new String(request.data(), StandardCharsets.UTF_8);
                String transformed = mode.equals("reverse") ? new StringBuilder(data).reverse().toString()
                        : data.toUpperCase(Locale.ROOT);
                String previous = host.storageGet(new GetRequest(LAST_KEY)).value()
                        .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
                String result = previous.isEmpty() ? transformed : previous + " | " + transformed;
                byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
                host.storageSet(new SetRequest(LAST_KEY, bytes));
                return new ProcessResponse(request.requestId(), true, bytes);
            }
            case "crash" -> {
                log(LogLevel.WARN, "Crashing on purpose: Runtime.halt(" + CRASH_STATUS + ")");
                Runtime.getRuntime().halt(CRASH_STATUS);
                throw new AssertionError("unreachable");
            }
            default -> {
                log(LogLevel.WARN, "Unknown operation: " + request.operation());
                return new ProcessResponse(request.requestId(), false, new byte[0]);
            }
        }
    }

    @Override
    public void shutdown() {
        log(LogLevel.INFO, "Shutting down");
    }

    private void log(LogLevel level, String message) {
        host.loggerLog(new LogRequest(level, message));
    }
}
