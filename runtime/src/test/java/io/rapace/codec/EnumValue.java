package io.rapace.codec;

/**
 * A value of a test enum type: the wire index of its variant, the variant's name, and its payload ({@code null} for
 * a unit variant, the value for a newtype variant, a {@code List<Object>} of the fields for a tuple or struct
 * variant). Compared with {@link ValueNotation#deepEquals}.
 */
record EnumValue(int index, String variant, Object payload) {
}
