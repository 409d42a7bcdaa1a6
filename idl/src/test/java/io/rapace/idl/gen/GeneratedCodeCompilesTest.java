package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every generated output compiles with javac in-process under the build's own options, {@code --release 17
 * -Xlint:all,-processing -Werror}, with no diagnostic at all; and the generated registrations are what
 * {@code ServiceRegistry} finds and describes.
 */
class GeneratedCodeCompilesTest {

    @TempDir
    Path classes;

    @ParameterizedTest
    @EnumSource(Inputs.class)
    void compilesWithoutAnyDiagnostic(Inputs input) throws IOException {
        InProcessCompiler.Result result = InProcessCompiler.compile(input.generate(), classes);
        assertEquals(List.of(), result.diagnostics());
    }

    @Test
    void hostServicesDescribeThemselvesInTheSeedsFormat() throws IOException {
        InProcessCompiler.Result result = InProcessCompiler.compile(Inputs.HOST.generate(), classes);
        assertEquals(List.of(), result.diagnostics());
        try (URLClassLoader loader = result.classLoader()) {
            assertEquals("""
                    Service: rapace.HostServices v1.0
                      - Logger.log (1000): Unary
                      - Storage.get (1001): Unary
                      - Storage.set (1002): Unary
                      - Events.subscribe (1003): ServerStreaming
                    """, ServiceRegistry.of(descriptorsLoadedBy(loader)).describe());
        }
    }

    @Test
    void calculatorDescribesItselfAsDocsGeneratedCodeShows() throws IOException {
        InProcessCompiler.Result result = InProcessCompiler.compile(Inputs.CALCULATOR.generate(), classes);
        try (URLClassLoader loader = result.classLoader()) {
            assertEquals("""
                    Service: io.rapace.calculator.Calculator v1.0
                      - add (423600472): Unary
                      - count_to (749004473): ServerStreaming
                      - sum (1704335971): ClientStreaming
                      - running_total (2261846859): BidiStreaming
                    """, ServiceRegistry.of(descriptorsLoadedBy(loader)).describe());
        }
    }

    /** The descriptors the generated resource registers in {@code loader} itself, not on the test class path. */
    static List<ServiceDescriptor> descriptorsLoadedBy(ClassLoader loader) {
        List<ServiceDescriptor> found = new ArrayList<>();
        for (ServiceDescriptor descriptor : ServiceLoader.load(ServiceDescriptor.class, loader)) {
            if (descriptor.getClass().getClassLoader() == loader) {
                found.add(descriptor);
            }
        }
        return found;
    }
}
