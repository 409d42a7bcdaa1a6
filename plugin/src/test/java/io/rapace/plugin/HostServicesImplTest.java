package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.plugin.api.GetRequest;
import io.rapace.plugin.api.SetRequest;
import io.rapace.testing.ExpectedLogs;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host services of one plugin, called directly: storage calls reach the storage listeners. */
class HostServicesImplTest {
    /** What the host logs for plugin beta ({@code rapace.plugin.beta}). */
    @RegisterExtension
    final ExpectedLogs output = new ExpectedLogs("rapace.plugin");

    private static final byte[] VALUE = "v1".getBytes(StandardCharsets.UTF_8);

    @Test
    void storageListenersHearEveryGetAndSetWithThePluginId() {
        List<String> heard = new ArrayList<>();
        StorageListener listener = new StorageListener() {
            @Override
            public void read(String pluginId, String key, Optional<byte[]> value) {
                heard.add(pluginId + " GET " + key + ": " + value.map(v -> new String(v, StandardCharsets.UTF_8))
                        .orElse("None"));
            }

            @Override
            public void written(String pluginId, String key, byte[] value) {
                heard.add(pluginId + " SET " + key + ": " + new String(value, StandardCharsets.UTF_8));
                value[0] = 'X'; // the listener's own copy: the store keeps what the plugin sent
            }
        };
        HostServicesImpl services = new HostServicesImpl("alpha", new HostStorage(), new HostEventBus(),
                List.of(listener));
        assertEquals(Optional.empty(), services.storageGet(new GetRequest("k")).value());
        services.storageSet(new SetRequest("k", VALUE));
        assertArrayEquals(VALUE, services.storageGet(new GetRequest("k")).value().orElseThrow());
        assertEquals(List.of("alpha GET k: None", "alpha SET k: v1", "alpha GET k: v1"), heard);
    }

    @Test
    void aFailingStorageListenerDoesNotFailTheCall() {
        StorageListener failing = new StorageListener() {
            @Override
            public void written(String pluginId, String key, byte[] value) {
                throw new IllegalStateException("listener bug");
            }
        };
        HostStorage storage = new HostStorage();
        HostServicesImpl services = new HostServicesImpl("beta", storage, new HostEventBus(), List.of(failing));
        services.storageSet(new SetRequest("k", VALUE));
        assertEquals(List.of("storage listener failed"), output.messages(Level.WARNING));
        assertArrayEquals(VALUE, storage.get("k").orElseThrow());
    }
}
