package io.rapace.samples.modular;

import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.Loopback;

/**
 * Prints the registry that {@link ServiceRegistry#discover()} finds, then greets over the loopback. Run it as a module:
 * {@code java -p <this module>:<rapace-runtime> -m io.rapace.samples.modular/io.rapace.samples.modular.GreeterMain}.
 */
public final class GreeterMain {

    private GreeterMain() {
    }

    /** Where this class runs from, the registry, and one greeting. */
    public static void main(String[] args) {
        Module module = GreeterMain.class.getModule();
        System.out.println(module.isNamed() ? "module " + module.getName() : "class path");
        System.out.print(ServiceRegistry.discover().describe());
        try (Loopback loopback = Loopback.create()) {
            loopback.server().serve(new GreeterDispatcher(name -> "Hello, " + name + "!"));
            System.out.println(new GreeterClient(loopback.client()).greet("Ada"));
        }
    }
}
