/**
 * An annotated service in a named module. The processor writes {@code GreeterDescriptor} (and, for the class path,
 * a {@code META-INF/services} entry, which a named module ignores); the {@code provides} below is what
 * {@code ServiceRegistry.discover()} finds when this module is on the module path ({@code docs/modules.md}).
 */
module io.rapace.samples.modular {
    requires transitive io.rapace.runtime;

    exports io.rapace.samples.modular;

    provides io.rapace.registry.ServiceDescriptor with io.rapace.samples.modular.GreeterDescriptor;
}
