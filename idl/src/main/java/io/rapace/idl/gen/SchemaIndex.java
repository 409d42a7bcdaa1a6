package io.rapace.idl.gen;

import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.Field;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import io.rapace.idl.model.TypeName;
import io.rapace.idl.model.TypeRef;
import io.rapace.idl.model.Variant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the generators look up in a schema: declarations by name, minimum encoded sizes, the types a service uses. */
final class SchemaIndex {

    private final Schema schema;
    private final Map<TypeName, TypeDecl> byName = new HashMap<>();
    private final Map<TypeName, Integer> minSizes = new HashMap<>();
    private final Set<String> classNames = new HashSet<>(RuntimeTypes.SIMPLE_NAMES);

    SchemaIndex(Schema schema) {
        this.schema = schema;
        for (TypeDecl type : schema.types()) {
            byName.put(type.name(), type);
            // Nested classes (variant records) are always named through their outer class, so only the
            // top-level name can be obscured.
            classNames.add(type.javaName().simpleNames().get(0));
            classNames.add(Names.codec(type).simpleName());
            packageRoot(type.javaName().packageName());
        }
        for (Service service : schema.services()) {
            classNames.add(Names.service(service).simpleName());
            classNames.add(Names.client(service).simpleName());
            classNames.add(Names.dispatcher(service).simpleName());
            classNames.add(Names.descriptor(service).simpleName());
            packageRoot(service.javaName().packageName());
        }
        computeMinSizes();
    }

    private void packageRoot(String packageName) {
        classNames.add(packageName.contains(".") ? packageName.substring(0, packageName.indexOf('.')) : packageName);
    }

    /**
     * Whether a variable named {@code name} would obscure a class or package generated code names: Java reads a
     * simple name that could be a variable or a class as the variable ({@code Arrays.equals} fails in a record with
     * a component {@code Arrays}). Such locals are renamed; record components and parameters, which are API, make
     * their file spell those classes in full.
     */
    boolean obscures(String name) {
        return classNames.contains(name);
    }

    /** Those of {@code names} that {@link #obscures obscure} a class: for JavaPoet's {@code alwaysQualify}. */
    String[] obscuring(Collection<String> names) {
        return names.stream().filter(this::obscures).sorted().toArray(String[]::new);
    }

    /**
     * The name of a local variable for {@code name}: itself (escaped if it is a keyword, as a variant {@code Double}
     * gives {@code double}), unless it obscures a class or is {@code taken}.
     */
    String local(String name, Collection<String> taken) {
        String escaped = JavaNames.escape(name);
        if (!obscures(escaped) && !taken.contains(escaped)) {
            return escaped;
        }
        Set<String> avoid = new HashSet<>(taken);
        avoid.addAll(classNames);
        return Names.unused(name + "Value", avoid);
    }

    TypeDecl resolve(TypeRef.Declared reference) {
        TypeDecl type = byName.get(reference.name());
        if (type == null) {
            throw new IllegalArgumentException("type " + reference.name() + " is not in the schema");
        }
        return type;
    }

    /** The smallest number of bytes a value of {@code type} encodes to, as {@code Codec.minEncodedSize()} states. */
    int minSize(TypeRef type) {
        return minSize(type, minSizes);
    }

    int minSize(TypeDecl type) {
        return minSizes.get(type.name());
    }

    /**
     * The declared types {@code service} uses, directly or through other types, in declaration order: the
     * {@code types} of its registry entry.
     */
    List<TypeDecl> typesUsedBy(Service service) {
        Set<TypeName> used = new LinkedHashSet<>();
        for (Method method : service.methods()) {
            collect(method.requestType(), used);
            collect(method.responseType(), used);
        }
        List<TypeDecl> types = new ArrayList<>();
        for (TypeDecl type : schema.types()) {
            if (used.contains(type.name())) {
                types.add(type);
            }
        }
        return types;
    }

    private void collect(TypeRef type, Set<TypeName> used) {
        if (type instanceof TypeRef.Declared declared) {
            if (used.add(declared.name())) {
                for (Field field : fields(resolve(declared))) {
                    collect(field.type(), used);
                }
            }
        } else if (type instanceof TypeRef.OptionOf option) {
            collect(option.element(), used);
        } else if (type instanceof TypeRef.ListOf list) {
            collect(list.element(), used);
        } else if (type instanceof TypeRef.ArrayOf array) {
            collect(array.element(), used);
        } else if (type instanceof TypeRef.MapOf map) {
            collect(map.key(), used);
            collect(map.value(), used);
        } else if (type instanceof TypeRef.Tuple tuple) {
            for (TypeRef element : tuple.elements()) {
                collect(element, used);
            }
        }
    }

    /** Every field of a struct, or of every variant of an enum. */
    static List<Field> fields(TypeDecl type) {
        if (type instanceof StructDecl struct) {
            return struct.fields();
        }
        List<Field> fields = new ArrayList<>();
        for (Variant variant : ((EnumDecl) type).variants()) {
            fields.addAll(variant.fields());
        }
        return fields;
    }

    /**
     * The minimum sizes of all declared types, as the least fixed point of the size equations: every size starts
     * unbounded and each round recomputes every type from the others until nothing shrinks. A cycle goes through an
     * {@code option}, {@code list} or {@code map} (1 byte whatever the element) or through an enum with another
     * variant, so the sizes settle within as many rounds as there are types.
     */
    private void computeMinSizes() {
        for (TypeDecl type : schema.types()) {
            minSizes.put(type.name(), Integer.MAX_VALUE);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (TypeDecl type : schema.types()) {
                int size = declSize(type);
                if (size < minSizes.get(type.name())) {
                    minSizes.put(type.name(), size);
                    changed = true;
                }
            }
        }
    }

    private int declSize(TypeDecl type) {
        if (type instanceof StructDecl struct) {
            return fieldsSize(struct.fields());
        }
        int smallest = Integer.MAX_VALUE;
        for (Variant variant : ((EnumDecl) type).variants()) {
            smallest = Math.min(smallest, fieldsSize(variant.fields()));
        }
        return add(1, smallest);
    }

    private int fieldsSize(List<Field> fields) {
        int size = 0;
        for (Field field : fields) {
            size = add(size, minSize(field.type(), minSizes));
        }
        return size;
    }

    private int minSize(TypeRef type, Map<TypeName, Integer> sizes) {
        if (type instanceof TypeRef.Primitive primitive) {
            return switch (primitive.type()) {
                case F32 -> 4;
                case F64 -> 8;
                case CHAR -> 2;
                default -> 1;
            };
        }
        if (type instanceof TypeRef.ArrayOf array) {
            return (int) Math.min(Integer.MAX_VALUE, (long) minSize(array.element(), sizes) * array.length());
        }
        if (type instanceof TypeRef.Declared declared) {
            return sizes.get(declared.name());
        }
        if (type instanceof TypeRef.Unit) {
            return 0;
        }
        if (type instanceof TypeRef.Tuple tuple) {
            int size = 0;
            for (TypeRef element : tuple.elements()) {
                size = add(size, minSize(element, sizes));
            }
            return size;
        }
        return 1; // option, list, map: a tag or a count
    }

    private static int add(int a, int b) {
        return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
    }
}
