package io.rapace.idl.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything generated together (one Maven {@code generate} execution, or one javac compilation): the declared
 * types and the services, each in declaration order (files in the order they were read).
 *
 * <p>The constructor checks what the generator relies on: type names are unique, every {@link TypeRef.Declared}
 * resolves to a type of this schema, service names are unique, and method ids are unique across all services.
 * Front ends report these problems to the user first; here they are programming errors.
 *
 * @param types the structs and enums
 * @param services the services
 */
public record Schema(List<TypeDecl> types, List<Service> services) {

    public Schema {
        types = Require.copy(types, "types");
        services = Require.copy(services, "services");
        Map<TypeName, TypeDecl> byName = new HashMap<>();
        for (TypeDecl type : types) {
            TypeDecl first = byName.putIfAbsent(type.name(), type);
            if (first != null) {
                throw new IllegalArgumentException("type " + type.name() + " is declared twice (at "
                        + first.position() + " and " + type.position() + ")");
            }
        }
        for (TypeDecl type : types) {
            if (type instanceof StructDecl struct) {
                requireResolved(byName, struct.fields());
            } else if (type instanceof EnumDecl enumDecl) {
                for (Variant variant : enumDecl.variants()) {
                    requireResolved(byName, variant.fields());
                }
            }
        }
        Map<String, Service> serviceByName = new HashMap<>();
        Map<Integer, Method> methodById = new HashMap<>();
        for (Service service : services) {
            Service first = serviceByName.putIfAbsent(service.name(), service);
            if (first != null) {
                throw new IllegalArgumentException("service name " + service.name() + " is used twice (at "
                        + first.position() + " and " + service.position() + ")");
            }
            for (Method method : service.methods()) {
                Method firstWithId = methodById.putIfAbsent(method.id(), method);
                if (firstWithId != null) {
                    throw new IllegalArgumentException("method id " + method.unsignedId() + " is used twice (by "
                            + firstWithId.name() + " at " + firstWithId.position() + " and " + method.name()
                            + " at " + method.position() + ")");
                }
                requireResolved(byName, method.requestType());
                requireResolved(byName, method.responseType());
            }
        }
    }

    /** The declared type named {@code name}, if this schema has it. */
    public Optional<TypeDecl> find(TypeName name) {
        for (TypeDecl type : types) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The declaration {@code reference} refers to; every reference in a schema resolves. */
    public TypeDecl resolve(TypeRef.Declared reference) {
        return find(reference.name()).orElseThrow(() -> new IllegalArgumentException(
                "type " + reference.name() + " (at " + reference.position() + ") is not in this schema"));
    }

    private static void requireResolved(Map<TypeName, TypeDecl> byName, List<Field> fields) {
        for (Field field : fields) {
            requireResolved(byName, field.type());
        }
    }

    private static void requireResolved(Map<TypeName, TypeDecl> byName, TypeRef type) {
        if (type instanceof TypeRef.Declared declared) {
            if (!byName.containsKey(declared.name())) {
                throw new IllegalArgumentException("type " + declared.name() + " (at " + declared.position()
                        + ") is not declared in this schema");
            }
        } else if (type instanceof TypeRef.OptionOf option) {
            requireResolved(byName, option.element());
        } else if (type instanceof TypeRef.ListOf list) {
            requireResolved(byName, list.element());
        } else if (type instanceof TypeRef.ArrayOf array) {
            requireResolved(byName, array.element());
        } else if (type instanceof TypeRef.MapOf map) {
            requireResolved(byName, map.key());
            requireResolved(byName, map.value());
        } else if (type instanceof TypeRef.Tuple tuple) {
            for (TypeRef element : tuple.elements()) {
                requireResolved(byName, element);
            }
        }
    }
}
