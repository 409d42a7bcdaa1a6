package io.rapace.idl.model;

import java.util.List;
import java.util.Objects;

/** Invariant checks shared by the model's records. */
final class Require {

    private Require() {
    }

    /** Rejects {@code null}, {@link TypeRef.Unit} and {@link TypeRef.Tuple} where a value type is needed. */
    static TypeRef valueType(TypeRef type, String role) {
        Objects.requireNonNull(type, role);
        if (!type.isValueType()) {
            throw new IllegalArgumentException(role + " cannot be " + type.toIdl() + " (at " + type.position() + ")");
        }
        return type;
    }

    /** Rejects {@code null} and the empty string. */
    static String nonEmpty(String value, String role) {
        Objects.requireNonNull(value, role);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(role + " is empty");
        }
        return value;
    }

    /** An immutable copy of {@code list}, rejecting {@code null} elements. */
    static <T> List<T> copy(List<T> list, String role) {
        Objects.requireNonNull(list, role);
        return List.copyOf(list);
    }
}
