package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.JavaNames;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.TypeDecl;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The names of what the generator writes ({@code docs/generated-code.md}): {@code FooClient}, {@code FooDispatcher},
 * {@code FooDescriptor} and {@code FooCodec}, the method id constants, the request records of named parameters, and
 * local names that must not collide with the schema's own.
 */
final class Names {

    private Names() {
    }

    /** The JavaPoet name of a model class name. */
    static ClassName className(JavaClassName name) {
        List<String> simpleNames = name.simpleNames();
        return ClassName.get(name.packageName(), simpleNames.get(0),
                simpleNames.subList(1, simpleNames.size()).toArray(new String[0]));
    }

    /** A top-level class beside {@code name}, named after it (nested names joined) with {@code suffix}. */
    private static ClassName companion(JavaClassName name, String suffix) {
        return ClassName.get(name.packageName(), String.join("", name.simpleNames()) + suffix);
    }

    static ClassName type(TypeDecl type) {
        return className(type.javaName());
    }

    /** {@code FooCodec}, beside the type {@code Foo}. */
    static ClassName codec(TypeDecl type) {
        return companion(type.javaName(), "Codec");
    }

    static ClassName service(Service service) {
        return className(service.javaName());
    }

    static ClassName client(Service service) {
        return companion(service.javaName(), "Client");
    }

    static ClassName dispatcher(Service service) {
        return companion(service.javaName(), "Dispatcher");
    }

    static ClassName descriptor(Service service) {
        return companion(service.javaName(), "Descriptor");
    }

    /**
     * The constant holding a method's id: its Java name in UPPER_SNAKE_CASE with {@code _ID} ({@code countTo} to
     * {@code COUNT_TO_ID}, {@code loggerLog} to {@code LOGGER_LOG_ID}).
     */
    static String idConstant(Method method) {
        return constantWords(method.javaName()) + "_ID";
    }

    /** The record holding the values of a method's named parameters: {@code add} to {@code AddArgs}. */
    static String argsRecord(Method method) {
        String name = stripEscape(method.javaName());
        return Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Args";
    }

    /** A Java name in UPPER_SNAKE_CASE, without the {@code _} suffix of an escaped keyword. */
    static String constantWords(String javaName) {
        return JavaNames.upperSnakeCase(stripEscape(javaName)).toUpperCase(Locale.ROOT);
    }

    /** A local name in lower camel case for a class name: {@code PluginLoaded} to {@code pluginLoaded}. */
    static String lowerFirst(String simpleName) {
        return Character.toLowerCase(simpleName.charAt(0)) + simpleName.substring(1);
    }

    /**
     * {@code preferred}, escaped if it is a keyword, or with a number appended ({@code in2}, {@code in3}, ...) until it
     * is none of {@code taken}: for names the generator introduces beside names from the schema.
     */
    static String unused(String preferred, Collection<String> taken) {
        String name = JavaNames.escape(preferred);
        for (int n = 2; taken.contains(name); n++) {
            name = JavaNames.escape(preferred) + n;
        }
        return name;
    }

    /** {@code javaName} without the {@code _} suffix of an escaped name. */
    static String stripEscape(String javaName) {
        return javaName.endsWith("_") && javaName.length() > 1 ? javaName.substring(0, javaName.length() - 1)
                : javaName;
    }
}
