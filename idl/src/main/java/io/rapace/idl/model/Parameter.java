package io.rapace.idl.model;

import java.util.Objects;

/**
 * A named parameter of a method, {@code a: i64} in {@code (a: i64, b: i64)}.
 *
 * @param name the name as written
 * @param javaName the Java parameter name
 * @param type the parameter's type, never {@code ()}
 * @param position where the parameter's name was written
 */
public record Parameter(String name, String javaName, TypeRef type, SourcePosition position) {

    public Parameter {
        Require.nonEmpty(name, "parameter name");
        Require.nonEmpty(javaName, "parameter Java name");
        Require.valueType(type, "type of parameter " + name);
        Objects.requireNonNull(position, "position");
    }
}
