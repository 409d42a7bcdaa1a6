package io.rapace.registry;

import io.rapace.annotation.MethodKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The services generated on a class path or in named modules, found through {@link ServiceLoader}: on the class
 * path, every class listed in a {@code META-INF/services/io.rapace.registry.ServiceDescriptor} resource (the IDL
 * generator and the annotation processor both write one); in a named module, every class its
 * {@code provides io.rapace.registry.ServiceDescriptor with ...} names ({@code docs/modules.md}). Each extends
 * {@link ServiceDescriptor}. Service names are unique; two services with one name are an error that names both
 * classes.
 *
 * <p>{@link #describe()} prints the registry in the seed's listing format, and so does
 * {@code java -cp <class path> io.rapace.registry.ServiceRegistry} (or, with modules,
 * {@code java -p <module path> --add-modules ALL-MODULE-PATH -m io.rapace.runtime/io.rapace.registry.ServiceRegistry}).
 */
public final class ServiceRegistry {
    private final List<ServiceDescriptor> services;

    private ServiceRegistry(Collection<? extends ServiceDescriptor> found,
            Function<String, RuntimeException> problem) {
        Map<String, ServiceDescriptor> byName = new HashMap<>();
        List<ServiceDescriptor> sorted = new ArrayList<>(found.size());
        for (ServiceDescriptor service : found) {
            ServiceDescriptor twin = byName.putIfAbsent(service.name(), service);
            if (twin != null) {
                throw problem.apply("two services are named " + service.name() + ": " + twin.getClass().getName()
                        + " and " + service.getClass().getName());
            }
            sorted.add(service);
        }
        sorted.sort(Comparator.comparing(ServiceDescriptor::name));
        this.services = List.copyOf(sorted);
    }

    /**
     * Every service registered on the thread context class loader's class path or by the named modules it defines (the
     * system class loader if the thread has none).
     *
     * @throws IllegalStateException if two services share a name
     * @throws java.util.ServiceConfigurationError if a listed class is missing or not a {@link ServiceDescriptor}
     */
    public static ServiceRegistry discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Every service registered on {@code loader}'s class path or by the named modules defined to it or its ancestors
     * (the system class loader if null).
     *
     * @throws IllegalStateException if two services share a name
     * @throws java.util.ServiceConfigurationError if a listed class is missing or not a {@link ServiceDescriptor}
     */
    public static ServiceRegistry discover(ClassLoader loader) {
        List<ServiceDescriptor> found = new ArrayList<>();
        for (ServiceDescriptor service : ServiceLoader.load(ServiceDescriptor.class, loader)) {
            found.add(service);
        }
        return new ServiceRegistry(found, IllegalStateException::new);
    }

    /**
     * The registry entry of the service named {@code name} among those {@code loader} lists, for a dispatcher of that
     * service whose class is {@code beside}: when several entries share the name, the one in {@code beside}'s package
     * (generated descriptors sit beside their dispatchers). What else is listed never fails the lookup: a registration
     * that does not load is skipped.
     */
    public static Optional<ServiceDescriptor> entry(String name, Class<?> beside) {
        String home = beside.getPackageName();
        ServiceDescriptor found = null;
        for (ServiceDescriptor d : listed(beside.getClassLoader())) {
            if (d.name().equals(name) && (found == null || d.getClass().getPackageName().equals(home))) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The registry entry of the service named {@code name} among those {@code loader} lists whose method
     * {@code methodId} has schema fingerprint {@code fingerprint}: the version of the service a caller with that
     * fingerprint was generated from (the schema check words its refusals from it). Skips what does not load.
     */
    public static Optional<ServiceDescriptor> entry(String name, int methodId, long fingerprint, ClassLoader loader) {
        for (ServiceDescriptor d : listed(loader)) {
            if (d.name().equals(name) && d.method(methodId).isPresent() && d.fingerprint(methodId) == fingerprint) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Every entry {@code loader} lists, in its order, duplicates included; a registration that does not load is
     * skipped, so one broken jar never hides the others.
     */
    public static List<ServiceDescriptor> listed(ClassLoader loader) {
        List<ServiceDescriptor> all = new ArrayList<>();
        Iterator<ServiceDescriptor> listed = ServiceLoader.load(ServiceDescriptor.class, loader).iterator();
        while (true) {
            try {
                if (!listed.hasNext()) {
                    return all;
                }
                all.add(listed.next());
            } catch (ServiceConfigurationError e) {
                System.getLogger(ServiceRegistry.class.getName()).log(System.Logger.Level.DEBUG,
                        "skipping a service registration that does not load: " + e.getMessage());
            }
        }
    }

    /**
     * A registry of the given services, for example descriptors decoded from a peer.
     *
     * @throws IllegalArgumentException if two services share a name
     */
    public static ServiceRegistry of(Collection<? extends ServiceDescriptor> services) {
        return new ServiceRegistry(List.copyOf(services), IllegalArgumentException::new);
    }

    /** The services, sorted by name. */
    public List<ServiceDescriptor> services() {
        return services;
    }

    /** The service named {@code name}, if there is one. */
    public Optional<ServiceDescriptor> service(String name) {
        for (ServiceDescriptor service : services) {
            if (service.name().equals(name)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    /**
     * The registry in the seed's format: per service a line {@code Service: <name> v<version>}, then one line
     * {@code   - <method> (<id>): <Kind>} per method; services sorted by name and separated by a blank line, methods
     * sorted by id as unsigned 32-bit numbers printed in decimal, kinds as {@code Unary}, {@code ClientStreaming},
     * {@code ServerStreaming}, {@code BidiStreaming}; no docs; every line ends with a newline. Empty for an empty
     * registry.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (ServiceDescriptor service : services) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append("Service: ").append(service.name()).append(" v").append(service.version()).append('\n');
            List<MethodDescriptor> methods = new ArrayList<>(service.methods());
            methods.sort((a, b) -> Integer.compareUnsigned(a.id(), b.id()));
            for (MethodDescriptor method : methods) {
                out.append("  - ").append(method.name()).append(" (").append(Integer.toUnsignedString(method.id()))
                        .append("): ").append(kindName(method.kind())).append('\n');
            }
        }
        return out.toString();
    }

    /** The kind as the seed's listing writes it. */
    static String kindName(MethodKind kind) {
        return switch (kind) {
            case UNARY -> "Unary";
            case CLIENT_STREAMING -> "ClientStreaming";
            case SERVER_STREAMING -> "ServerStreaming";
            case BIDI_STREAMING -> "BidiStreaming";
        };
    }

    /** Prints {@link #describe()} of {@link #discover()}; a note on standard error if no service is found. */
    public static void main(String[] args) {
        ServiceRegistry registry = discover();
        if (registry.services().isEmpty()) {
            System.err.println("no rapace service is registered on the class path");
        }
        System.out.print(registry.describe());
        System.out.flush();
    }
}
