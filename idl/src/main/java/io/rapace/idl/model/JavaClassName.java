package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/**
 * The Java class that represents a schema element: a package and one or more simple names, the first top level and
 * each further one nested in the one before (as in JavaPoet's {@code ClassName}). The IDL front end derives it from
 * the schema name ({@link JavaNames}); the annotation front end takes it from the annotated class, which may be
 * nested or named differently.
 *
 * @param packageName the Java package, empty for the unnamed package
 * @param simpleNames the top-level class first, then each nested class
 */
public record JavaClassName(String packageName, List<String> simpleNames) {

    public JavaClassName {
        Objects.requireNonNull(packageName, "packageName");
        simpleNames = List.copyOf(simpleNames);
        if (simpleNames.isEmpty()) {
            throw new IllegalArgumentException("a class name needs at least one simple name");
        }
        for (String name : simpleNames) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty simple name in " + simpleNames);
            }
        }
    }

    /** A top-level class, or a nested one when more names follow. */
    public static JavaClassName of(String packageName, String topLevel, String... nested) {
        String[] names = new String[nested.length + 1];
        names[0] = topLevel;
        System.arraycopy(nested, 0, names, 1, nested.length);
        return new JavaClassName(packageName, List.of(names));
    }

    /** The class named {@code simpleName} nested in this one. */
    public JavaClassName nested(String simpleName) {
        String[] names = simpleNames.toArray(new String[simpleNames.size() + 1]);
        names[simpleNames.size()] = simpleName;
        return new JavaClassName(packageName, List.of(names));
    }

    /** The innermost simple name. */
    public String simpleName() {
        return simpleNames.get(simpleNames.size() - 1);
    }

    /** The top-level class this one is, or is nested in. */
    public JavaClassName topLevel() {
        return new JavaClassName(packageName, List.of(simpleNames.get(0)));
    }

    /** The name as written in Java source, e.g. {@code io.rapace.samples.host.HostEvent.PluginLoaded}. */
    public String canonicalName() {
        String nested = String.join(".", simpleNames);
        return packageName.isEmpty() ? nested : packageName + "." + nested;
    }

    @Override
    public String toString() {
        return canonicalName();
    }
}
