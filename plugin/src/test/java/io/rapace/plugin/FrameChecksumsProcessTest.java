package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.plugin.api.ProcessRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that offers frame checksums gets them from the plugins it starts (it tells them in their environment), and
 * its calls work as before; a host that does not offer them sends none.
 */
class FrameChecksumsProcessTest {
    private final HostsUnderTest hosts = new HostsUnderTest();

    @TempDir
    Path stats;

    @AfterEach
    void nothingLeft() {
        hosts.closeAndCheck();
    }

    private static String echo(PluginHost.PluginHandle plugin, String data) {
        return new String(plugin.plugin().process(new ProcessRequest(1, "echo",
                data.getBytes(StandardCharsets.UTF_8))).result(), StandardCharsets.UTF_8);
    }

    @Test
    void aHostThatOffersChecksumsGetsThemFromItsPlugins() throws Exception {
        PluginHost host = hosts.build(hosts.builder(stats)
                .sessionConfig(SessionConfig.builder().frameChecksums(true).build()));
        PluginHost.PluginHandle plugin = host.launch(PluginSpec.sameClassPath("checked", TestPlugin.class,
                "c".getBytes(StandardCharsets.UTF_8)));
        assertTrue(plugin.session().orElseThrow().frameChecksums(), "the plugin did not offer checksums");
        assertEquals("c:" + "x".repeat(5000), echo(plugin, "x".repeat(5000))); // in a slot
        assertEquals("c:hi", echo(plugin, "hi")); // inline
    }

    @Test
    void aHostThatDoesNotOfferChecksumsSendsNone() throws Exception {
        PluginHost host = hosts.build(hosts.builder(stats)
                .sessionConfig(SessionConfig.builder().frameChecksums(false).build()));
        PluginHost.PluginHandle plugin = host.launch(PluginSpec.sameClassPath("plain", TestPlugin.class,
                "p".getBytes(StandardCharsets.UTF_8)));
        assertFalse(plugin.session().orElseThrow().frameChecksums());
        assertEquals("p:hi", echo(plugin, "hi"));
    }
}
