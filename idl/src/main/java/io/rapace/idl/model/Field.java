package io.rapace.idl.model;

import java.util.Objects;

/**
 * A field of a struct or of a struct-like enum variant; fields are encoded in declaration order.
 *
 * @param name the name as written, e.g. {@code plugin_id}
 * @param javaName the record component in Java, e.g. {@code pluginId}
 * @param type the field's type, never {@code ()}
 * @param doc the {@code ///} documentation, lines joined with {@code \n}; empty when there is none
 * @param position where the field's name was written
 */
public record Field(String name, String javaName, TypeRef type, String doc, SourcePosition position) {

    public Field {
        Require.nonEmpty(name, "field name");
        Require.nonEmpty(javaName, "field Java name");
        Require.valueType(type, "type of field " + name);
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }
}
