package io.rapace.samples.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.registry.ServiceRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same service found by {@link ServiceRegistry#discover()} in a named module and on the class path. */
class GreeterModuleProcessTest {
    private static final String LISTING = "Service: rapace.samples.Greeter v1.0\n  - greet ("
            + Integer.toUnsignedString(new GreeterDescriptor().methods().get(0).id()) + "): Unary\n";

    @Test
    void discoversTheServiceOnTheClassPath() {
        assertEquals(LISTING, ServiceRegistry.discover().describe());
    }

    @Test
    void discoversTheServiceInANamedModule() throws Exception {
        String modulePath = location(GreeterMain.class) + File.pathSeparator + location(ServiceRegistry.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-p", modulePath, "-m",
                "io.rapace.samples.modular/io.rapace.samples.modular.GreeterMain")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        assertEquals(String.join("\n", List.of("module io.rapace.samples.modular", LISTING + "Hello, Ada!", "")),
                out);
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
