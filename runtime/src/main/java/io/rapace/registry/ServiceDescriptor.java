package io.rapace.registry;

import io.rapace.codec.Codec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A service's registry entry: its name, version and documentation, its methods, and the schemas of the named types
 * they use. Generated code registers one per service: {@code FooDescriptor} extends this class with a public no-arg
 * constructor and is listed in {@code META-INF/services/io.rapace.registry.ServiceDescriptor}, so that
 * {@link ServiceRegistry#discover()} finds it through {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * public final class CalculatorDescriptor extends ServiceDescriptor {
 *     public CalculatorDescriptor() {
 *         super("io.rapace.rpc.Calculator", "1.0", "", List.of(...methods...), List.of(...types...));
 *     }
 * }
 * }</pre>
 *
 * <p>A descriptor is a value: {@link #equals} compares the contents, whatever the subclass, so a descriptor decoded
 * from a peer ({@link #CODEC}) equals the generated one it was encoded from. The constructor checks what generated
 * code always satisfies, so a broken entry fails where it is made: a {@code MAJOR.MINOR} version, distinct method ids
 * and names, distinct type names, and every named type a method or a type refers to defined in {@link #types()}.
 */
public class ServiceDescriptor {
    /** Postcard codec of descriptors; the layout is in {@code docs/generated-code.md}. */
    public static final Codec<ServiceDescriptor> CODEC =
            Codec.of(RegistryCodec::encodeService, RegistryCodec::decodeService, RegistryCodec.SERVICE_MIN_SIZE);

    private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    private final String name;
    private final String version;
    private final String doc;
    private final List<MethodDescriptor> methods;
    private final List<TypeSchema> types;

    /**
     * @param name    the service name ({@code rapace.HostServices})
     * @param version {@code MAJOR.MINOR} without leading zeros
     * @param doc     the {@code ///} documentation, empty if there is none
     * @param methods the methods in declaration order
     * @param types   the named types the methods use, directly or not, in declaration order
     * @throws IllegalArgumentException if the entry breaks one of the rules above, naming the service and the problem
     */
    public ServiceDescriptor(String name, String version, String doc, List<MethodDescriptor> methods,
            List<TypeSchema> types) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.methods = List.copyOf(methods);
        this.types = List.copyOf(types);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a service needs a name");
        }
        if (!VERSION.matcher(version).matches()) {
            throw problem("version " + version + " is not MAJOR.MINOR (digits, no leading zeros)");
        }
        checkMethods();
        checkTypes();
    }

    public final String name() {
        return name;
    }

    /** {@code MAJOR.MINOR}. */
    public final String version() {
        return version;
    }

    /** The {@code ///} documentation, empty if there is none. */
    public final String doc() {
        return doc;
    }

    /** The methods, in declaration order. */
    public final List<MethodDescriptor> methods() {
        return methods;
    }

    /** The schemas of the named types the methods use, in declaration order. */
    public final List<TypeSchema> types() {
        return types;
    }

    /** The method with {@code id}, if the service has it. */
    public final Optional<MethodDescriptor> method(int id) {
        for (MethodDescriptor method : methods) {
            if (method.id() == id) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }

    /** The schema of the named type {@code typeName}, if the service defines it. */
    /**
     * The schema fingerprint of method {@code methodId} ({@link SchemaFingerprint}): what a session compares with the
     * peer's to refuse calls whose messages the two sides would read differently.
     *
     * @throws IllegalArgumentException if this service has no method with that id
     */
    public final long fingerprint(int methodId) {
        MethodDescriptor method = method(methodId).orElseThrow(() -> new IllegalArgumentException(
                name + " has no method with id " + Integer.toUnsignedString(methodId)));
        return SchemaFingerprint.of(this, method);
    }

    public final Optional<TypeSchema> type(String typeName) {
        for (TypeSchema type : types) {
            if (type.name().equals(typeName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private void checkMethods() {
        Map<Integer, String> ids = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (MethodDescriptor method : methods) {
            String other = ids.putIfAbsent(method.id(), method.name());
            if (other != null) {
                throw problem("methods " + other + " and " + method.name() + " share the id "
                        + Integer.toUnsignedString(method.id()));
            }
            if (!names.add(method.name())) {
                throw problem("two methods are named " + method.name());
            }
        }
    }

    private void checkTypes() {
        Set<String> defined = new HashSet<>();
        for (TypeSchema type : types) {
            if (!defined.add(type.name())) {
                throw problem("two types are named " + type.name());
            }
        }
        for (MethodDescriptor method : methods) {
            for (Field parameter : method.parameters()) {
                checkDefined(parameter.type(), defined, "method " + method.name());
            }
            checkDefined(method.response(), defined, "method " + method.name());
        }
        for (TypeSchema type : types) {
            List<Field> fields = new ArrayList<>();
            if (type instanceof TypeSchema.Struct struct) {
                fields.addAll(struct.fields());
            } else if (type instanceof TypeSchema.Enum enumeration) {
                for (TypeSchema.Variant variant : enumeration.variants()) {
                    fields.addAll(variant.fields());
                }
            }
            for (Field field : fields) {
                checkDefined(field.type(), defined, "type " + type.name());
            }
        }
    }

    private void checkDefined(TypeRef type, Set<String> defined, String user) {
        if (type instanceof TypeRef.Named named) {
            if (!defined.contains(named.name())) {
                throw problem(user + " refers to type " + named.name() + ", which the descriptor does not define");
            }
        } else if (type instanceof TypeRef.OptionOf option) {
            checkDefined(option.element(), defined, user);
        } else if (type instanceof TypeRef.ListOf list) {
            checkDefined(list.element(), defined, user);
        } else if (type instanceof TypeRef.MapOf map) {
            checkDefined(map.key(), defined, user);
            checkDefined(map.value(), defined, user);
        } else if (type instanceof TypeRef.ArrayOf array) {
            checkDefined(array.element(), defined, user);
        } else if (type instanceof TypeRef.Tuple tuple) {
            for (TypeRef element : tuple.elements()) {
                checkDefined(element, defined, user);
            }
        }
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("service " + name + ": " + what);
    }

    /** Equal when name, version, doc, methods and types are equal, whatever the class of either. */
    @Override
    public final boolean equals(Object o) {
        return o instanceof ServiceDescriptor other && name.equals(other.name) && version.equals(other.version)
                && doc.equals(other.doc) && methods.equals(other.methods) && types.equals(other.types);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(name, version, doc, methods, types);
    }

    @Override
    public final String toString() {
        return "ServiceDescriptor[name=" + name + ", version=" + version + ", doc=" + doc + ", methods=" + methods
                + ", types=" + types + "]";
    }
}
