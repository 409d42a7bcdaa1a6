package io.rapace.idl.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service: a named, versioned set of methods. The identifier names the generated Java interface and (with
 * {@code Client}, {@code Dispatcher}, {@code Descriptor}) its companions, and is what default method ids hash; the
 * name is what the registry shows and peers look the service up by.
 *
 * @param packageName the schema package the service was declared in
 * @param identifier the identifier as written, e.g. {@code HostServices}
 * @param name the service name as quoted, e.g. {@code rapace.HostServices}, or by default
 *     {@code <package>.<identifier>}
 * @param version {@code MAJOR.MINOR} without leading zeros, {@code 1.0} by default
 * @param javaName the Java interface
 * @param methods the methods in declaration order; names unique
 * @param doc the {@code ///} documentation; empty when there is none
 * @param position where the service's identifier was written
 */
public record Service(String packageName, String identifier, String name, String version, JavaClassName javaName,
                      List<Method> methods, String doc, SourcePosition position) {

    /** The version of a service that states none. */
    public static final String DEFAULT_VERSION = "1.0";

    public Service {
        Objects.requireNonNull(packageName, "packageName");
        Require.nonEmpty(identifier, "service identifier");
        Require.nonEmpty(name, "service name");
        if (!isValidVersion(version)) {
            throw new IllegalArgumentException("service " + name + " has version " + version
                    + ", not MAJOR.MINOR without leading zeros");
        }
        Objects.requireNonNull(javaName, "javaName");
        methods = Require.copy(methods, "methods");
        Map<String, Method> byName = new HashMap<>();
        for (Method method : methods) {
            Method first = byName.putIfAbsent(method.name(), method);
            if (first != null) {
                throw new IllegalArgumentException("service " + name + " has two methods named " + method.name()
                        + " (at " + first.position() + " and " + method.position() + ")");
            }
        }
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }

    /** The name of a service that states none: {@code <package>.<identifier>}, or the identifier alone. */
    public static String defaultName(String packageName, String identifier) {
        return packageName.isEmpty() ? identifier : packageName + "." + identifier;
    }

    /** Whether {@code version} is {@code MAJOR.MINOR}: two decimal numbers without leading zeros. */
    public static boolean isValidVersion(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        return dot >= 0 && isVersionNumber(version, 0, dot) && isVersionNumber(version, dot + 1, version.length());
    }

    private static boolean isVersionNumber(String text, int from, int to) {
        if (from >= to || (text.charAt(from) == '0' && to - from > 1)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
