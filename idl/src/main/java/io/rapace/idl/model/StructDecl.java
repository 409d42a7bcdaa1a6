package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/**
 * A struct: named fields encoded one after the other in declaration order; a Java record. It may have no fields.
 *
 * @param name the schema name
 * @param javaName the record's class
 * @param fields the fields in declaration order
 * @param doc the {@code ///} documentation; empty when there is none
 * @param position where the struct's name was written
 */
public record StructDecl(TypeName name, JavaClassName javaName, List<Field> fields, String doc,
                         SourcePosition position) implements TypeDecl {

    public StructDecl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaName, "javaName");
        fields = Require.copy(fields, "fields");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }
}
