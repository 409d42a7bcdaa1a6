package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/**
 * An enum: one of its variants, encoded as the variant's declaration index and then its fields. With unit variants
 * only it is a Java {@code enum}; with data it is a sealed interface with one record per variant.
 *
 * @param name the schema name
 * @param javaName the Java enum or sealed interface
 * @param variants the variants in declaration order, at least one; variant {@code i} has index {@code i}
 * @param doc the {@code ///} documentation; empty when there is none
 * @param position where the enum's name was written
 */
public record EnumDecl(TypeName name, JavaClassName javaName, List<Variant> variants, String doc,
                       SourcePosition position) implements TypeDecl {

    public EnumDecl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaName, "javaName");
        variants = Require.copy(variants, "variants");
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("enum " + name + " has no variants");
        }
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).index() != i) {
                throw new IllegalArgumentException("variant " + variants.get(i).name() + " of " + name
                        + " has index " + variants.get(i).index() + " but is declared at " + i);
            }
        }
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }

    /** Whether every variant is a unit variant, so that the enum is a Java {@code enum}. */
    public boolean isUnitOnly() {
        for (Variant variant : variants) {
            if (!variant.unit()) {
                return false;
            }
        }
        return true;
    }
}
