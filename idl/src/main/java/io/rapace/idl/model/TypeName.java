package io.rapace.idl.model;

import java.util.Objects;

/**
 * The schema name of a declared type: its package and its name as written. This is the name the registry shows and
 * the key a {@link TypeRef.Declared} reference resolves by; the Java class is {@link TypeDecl#javaName()}.
 *
 * @param packageName the schema package, e.g. {@code io.rapace.samples.host}; empty for none
 * @param simpleName the type's name as written, e.g. {@code LogRequest}
 */
public record TypeName(String packageName, String simpleName) {

    public TypeName {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(simpleName, "simpleName");
        if (simpleName.isEmpty()) {
            throw new IllegalArgumentException("empty type name");
        }
    }

    /** {@code package.SimpleName}, or the simple name alone in the empty package. */
    public String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
