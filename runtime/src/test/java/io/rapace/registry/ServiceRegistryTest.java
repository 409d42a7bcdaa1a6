package io.rapace.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rapace.annotation.MethodKind;
import io.rapace.calculator.CalculatorDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRegistryTest {

    private static final String CALCULATOR_LISTING = ""
            + "Service: io.rapace.calculator.Calculator v1.0\n"
            + "  - add (423600472): Unary\n"
            + "  - count_to (749004473): ServerStreaming\n"
            + "  - sum (1704335971): ClientStreaming\n"
            + "  - running_total (2261846859): BidiStreaming\n";

    @Test
    void discoverFindsTheGeneratedDescriptorsOnTheClassPath() {
        ServiceRegistry registry = ServiceRegistry.discover();
        assertEquals(List.of(new CalculatorDescriptor()), registry.services());
        assertEquals(CalculatorDescriptor.class, registry.services().get(0).getClass());
        assertEquals(List.of(new CalculatorDescriptor()),
                ServiceRegistry.discover(getClass().getClassLoader()).services());
    }

    /** Methods sorted by id as unsigned numbers: running_total's id is negative as an int, and comes last. */
    @Test
    void describeListsTheDiscoveredServiceInTheSeedsFormat() {
        assertEquals(CALCULATOR_LISTING, ServiceRegistry.discover().describe());
    }

    private static MethodDescriptor unary(int id, String name, TypeRef request, TypeRef response) {
        return new MethodDescriptor(id, name, MethodKind.UNARY, List.of(new Field("", request, "")), response, "");
    }

    /** The seed's two services, given out of order, print exactly as the seed's listing. */
    @Test
    void describePrintsTheSeedsListing() {
        TypeRef logRequest = new TypeRef.Named("rapace.LogRequest");
        ServiceDescriptor plugin = new ServiceDescriptor("rapace.Plugin", "1.0", "", List.of(
                new MethodDescriptor(2002, "shutdown", MethodKind.UNARY, List.of(), TypeRef.UNIT, ""),
                new MethodDescriptor(2000, "initialize", MethodKind.UNARY, List.of(), TypeRef.UNIT, ""),
                new MethodDescriptor(2001, "process", MethodKind.UNARY, List.of(), TypeRef.UNIT, "")),
                List.of());
        ServiceDescriptor host = new ServiceDescriptor("rapace.HostServices", "1.0", "Services of the host.", List.of(
                unary(1000, "Logger.log", logRequest, TypeRef.UNIT),
                unary(1001, "Storage.get", TypeRef.STRING, new TypeRef.OptionOf(TypeRef.BYTES)),
                unary(1002, "Storage.set", new TypeRef.Tuple(List.of(TypeRef.STRING, TypeRef.BYTES)), TypeRef.UNIT),
                new MethodDescriptor(1003, "Events.subscribe", MethodKind.SERVER_STREAMING, List.of(),
                        TypeRef.STRING, "")),
                List.of(new TypeSchema.Struct("rapace.LogRequest", "", List.of(
                        new Field("message", TypeRef.STRING, "")))));
        assertEquals(""
                + "Service: rapace.HostServices v1.0\n"
                + "  - Logger.log (1000): Unary\n"
                + "  - Storage.get (1001): Unary\n"
                + "  - Storage.set (1002): Unary\n"
                + "  - Events.subscribe (1003): ServerStreaming\n"
                + "\n"
                + "Service: rapace.Plugin v1.0\n"
                + "  - initialize (2000): Unary\n"
                + "  - process (2001): Unary\n"
                + "  - shutdown (2002): Unary\n",
                ServiceRegistry.of(List.of(plugin, host)).describe());
    }

    @Test
    void emptyRegistryDescribesAsNothing() {
        assertEquals("", ServiceRegistry.of(List.of()).describe());
    }

    @Test
    void mainPrintsTheSameListing() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ServiceRegistry.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertEquals(CALCULATOR_LISTING, captured.toString(StandardCharsets.UTF_8));
    }

    /** A second descriptor claiming the calculator's name, as a copied or re-generated service would. */
    public static final class ImpostorDescriptor extends ServiceDescriptor {
        public ImpostorDescriptor() {
            super(CalculatorDescriptor.SERVICE_NAME, "2.0", "", List.of(), List.of());
        }
    }

    @Test
    void twoServicesWithOneNameAreAnErrorNamingBothClasses(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services/io.rapace.registry.ServiceDescriptor");
        Files.createDirectories(services.getParent());
        Files.writeString(services, ImpostorDescriptor.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceRegistry.discover(loader));
            assertEquals("two services are named io.rapace.calculator.Calculator: "
                    + "io.rapace.calculator.CalculatorDescriptor and "
                    + "io.rapace.registry.ServiceRegistryTest$ImpostorDescriptor", e.getMessage());
        }
    }

    @Test
    void ofRefusesTwoServicesWithOneName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceRegistry.of(List.of(new CalculatorDescriptor(), new ImpostorDescriptor())));
        assertEquals("two services are named io.rapace.calculator.Calculator: "
                + "io.rapace.calculator.CalculatorDescriptor and "
                + "io.rapace.registry.ServiceRegistryTest$ImpostorDescriptor", e.getMessage());
    }

    @Test
    void serviceLooksUpByName() {
        ServiceRegistry registry = ServiceRegistry.discover();
        assertEquals(new CalculatorDescriptor(), registry.service("io.rapace.calculator.Calculator").orElseThrow());
        assertEquals(Optional.empty(), registry.service("Calculator"));
    }
}
