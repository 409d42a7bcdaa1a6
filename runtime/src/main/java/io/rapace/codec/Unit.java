package io.rapace.codec;

/** The single value of {@code ()}, which encodes to no bytes. */
public enum Unit {
    UNIT
}
