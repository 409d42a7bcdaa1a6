package io.rapace.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.registry.ServiceRegistry;
import org.junit.jupiter.api.Test;

/** The services generated from src/main/rapace register themselves and print as the seed's listing. */
class SeedRegistryTest {

    @Test
    void describePrintsTheSeedsRegistryListing() {
        String expected = ""
                + "Service: rapace.HostServices v1.0\n"
                + "  - Logger.log (1000): Unary\n"
                + "  - Storage.get (1001): Unary\n"
                + "  - Storage.set (1002): Unary\n"
                + "  - Events.subscribe (1003): ServerStreaming\n"
                + "\n"
                + "Service: rapace.Plugin v1.0\n"
                + "  - initialize (2000): Unary\n"
                + "  - process (2001): Unary\n"
                + "  - shutdown (2002): Unary\n";
        assertEquals(expected, ServiceRegistry.discover().describe());
    }
}
