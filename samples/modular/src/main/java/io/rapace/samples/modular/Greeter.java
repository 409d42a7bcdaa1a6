package io.rapace.samples.modular;

import io.rapace.annotation.RapaceService;

/** Greets by name; the processor generates {@code GreeterClient}, {@code GreeterDispatcher}, {@code GreeterDescriptor}. */
@RapaceService(name = "rapace.samples.Greeter")
public interface Greeter {

    /** {@code Hello, <name>!} */
    String greet(String name);
}
