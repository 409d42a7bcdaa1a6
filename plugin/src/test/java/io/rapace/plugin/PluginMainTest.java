package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.plugin.api.HostServicesClient;
import io.rapace.plugin.api.LogLevel;
import io.rapace.plugin.api.LogRequest;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link PluginMain} decides before it connects: a setup that serves nothing, or calls the host too early. */
class PluginMainTest {
    private static final PluginMain.Arguments ARGUMENTS = new PluginMain.Arguments(Path.of("/nonexistent/segment"),
            Path.of("/nonexistent/socket"), "p", List.of());

    @Test
    void aSetupThatServesNothingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginMain.runUntilClosed(ARGUMENTS, plugin -> { }));
        assertEquals("plugin p serves no service: call serve(dispatcher) in its setup", e.getMessage());
    }

    /** The session comes after the setup, so a host call from the setup would wait forever: it fails at once. */
    @Test
    void callingTheHostDuringTheSetupFailsAtOnce() {
        RpcException e = assertThrows(RpcException.class, () -> PluginMain.runUntilClosed(ARGUMENTS,
                plugin -> new HostServicesClient(plugin.host()).loggerLog(new LogRequest(LogLevel.INFO, "too early"))));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertEquals("the host cannot be called during the plugin's setup, before its session is up: call it from a "
                + "handler or a lifecycle hook", e.getMessage());
    }
}
