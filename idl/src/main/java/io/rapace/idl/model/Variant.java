package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/**
 * A variant of an enum. A unit variant ({@code Shutdown}) has no fields; a struct-like one ({@code PluginLoaded {
 * plugin_id: string }}) has named fields, possibly none ({@code Empty {}}). On the wire a variant is its
 * {@link #index()} (the declaration order, from 0) followed by its fields.
 *
 * <p>Two Java names are kept because the Java form depends on the whole enum: when every variant of the enum is a
 * unit variant the enum is a Java {@code enum} and the variant is the constant {@link #javaConstant()} (the IDL name
 * in UPPER_SNAKE_CASE); otherwise the enum is a sealed interface and the variant is the record
 * {@link #javaClass()} (nested in the interface under the IDL name, for IDL input).
 *
 * @param name the name as written, e.g. {@code PluginLoaded}
 * @param index the declaration index, the number on the wire
 * @param unit whether the variant was written without braces
 * @param fields the fields of a struct-like variant in declaration order; empty for a unit variant
 * @param javaConstant the Java enum constant, used when the enum has unit variants only
 * @param javaClass the Java record, used when the enum has data
 * @param doc the {@code ///} documentation; empty when there is none
 * @param position where the variant's name was written
 */
public record Variant(String name, int index, boolean unit, List<Field> fields, String javaConstant,
                      JavaClassName javaClass, String doc, SourcePosition position) {

    public Variant {
        Require.nonEmpty(name, "variant name");
        if (index < 0) {
            throw new IllegalArgumentException("negative variant index " + index);
        }
        fields = Require.copy(fields, "fields");
        if (unit && !fields.isEmpty()) {
            throw new IllegalArgumentException("unit variant " + name + " has fields");
        }
        Require.nonEmpty(javaConstant, "variant Java constant");
        Objects.requireNonNull(javaClass, "javaClass");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(position, "position");
    }
}
