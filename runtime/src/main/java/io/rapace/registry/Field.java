package io.rapace.registry;

import java.util.Objects;

/**
 * A field of a struct or of an enum variant, or a parameter of a method.
 *
 * @param name the name as written in the IDL ({@code plugin_id}); empty only for the unnamed argument of a method
 *             written {@code (T)}
 * @param type the field's type
 * @param doc  the {@code ///} documentation, empty if there is none
 */
public record Field(String name, TypeRef type, String doc) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
    }
}
