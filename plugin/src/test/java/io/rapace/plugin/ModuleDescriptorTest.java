package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin host's public surface is what its module exports (docs/modules.md): this pins it. */
class ModuleDescriptorTest {

    @Test
    void exportsTheHostTheSeedsServicesAndTheStatToolAndProvidesTheirDescriptors() throws Exception {
        Path classes = Path.of(PluginHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor plugin = ModuleFinder.of(classes).find("io.rapace.plugin").orElseThrow().descriptor();
        assertEquals(Set.of("io.rapace.plugin", "io.rapace.plugin.api", "io.rapace.plugin.stat"), plugin.exports()
                .stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        ModuleDescriptor.Provides provides = plugin.provides().iterator().next();
        assertEquals("io.rapace.registry.ServiceDescriptor", provides.service());
        assertEquals(List.of("io.rapace.plugin.api.HostServicesDescriptor", "io.rapace.plugin.api.PluginDescriptor"),
                provides.providers());
    }
}
