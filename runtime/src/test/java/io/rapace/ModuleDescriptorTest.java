package io.rapace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The runtime's public surface is what its module exports (docs/modules.md): this pins it. */
class ModuleDescriptorTest {

    private static ModuleDescriptor runtime() throws Exception {
        Path classes = Path.of(ServiceRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(classes).find("io.rapace.runtime").orElseThrow().descriptor();
    }

    @Test
    void exportsTheApiAndKeepsTheSegmentAndTheSessionInside() throws Exception {
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports e : runtime().exports()) {
            exports.put(e.source(), e.targets());
        }
        assertEquals(Map.of("io.rapace.annotation", Set.of(), "io.rapace.codec", Set.of(), "io.rapace.config", Set.of(),
                "io.rapace.registry", Set.of(), "io.rapace.rpc", Set.of(), "io.rapace.shm", Set.of("io.rapace.plugin")),
                exports);
    }

    @Test
    void findsServicesOfNamedModulesAndNeedsChronicleOnlyWhenAskedFor() throws Exception {
        ModuleDescriptor runtime = runtime();
        assertEquals(Set.of(ServiceDescriptor.class.getName()), runtime.uses());
        // jdk.net: SO_PEERCRED, who connected to the doorbell socket
        assertEquals(Set.of("chronicle.core", "java.base", "jdk.net"), runtime.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), runtime.requires().stream()
                .filter(r -> r.name().equals("chronicle.core")).findFirst().orElseThrow().modifiers());
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), runtime.requires().stream()
                .filter(r -> r.name().equals("jdk.net")).findFirst().orElseThrow().modifiers());
    }
}
