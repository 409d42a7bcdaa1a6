package io.rapace.idl.gen;

import java.util.Objects;

/**
 * One file the generator wrote: a Java source, or a resource such as the {@code ServiceLoader} registration.
 *
 * @param kind whether the file is a Java source or a resource
 * @param path the path relative to the output root, {@code /}-separated: {@code io/rapace/x/Foo.java} or
 *     {@code META-INF/services/io.rapace.registry.ServiceDescriptor}
 * @param content the whole text of the file, lines ending with {@code \n}
 */
public record GeneratedFile(Kind kind, String path, String content) {

    /** What a build tool does with a file: compile it, or copy it to the class output. */
    public enum Kind {
        /** A Java source file, for a compile source root. */
        SOURCE,
        /** A resource, for the class output as it is. */
        RESOURCE
    }

    public GeneratedFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("not a relative '/'-separated path: " + path);
        }
    }
}
