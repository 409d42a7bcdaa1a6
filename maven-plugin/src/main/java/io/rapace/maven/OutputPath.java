package io.rapace.maven;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a generated file goes: a root directory (the source or the resource output) and a path relative to it, with
 * {@code /} between names, as the generator gives it ({@code io/x/Foo.java}).
 *
 * @param root the absolute output directory
 * @param path the relative path: no empty name, no {@code .} or {@code ..}, no leading {@code /}
 */
record OutputPath(Path root, String path) {

    OutputPath {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(path, "path");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("output root " + root + " is not absolute");
        }
        if (path.isEmpty() || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("generated file path \"" + path + "\" is not a relative path"
                    + " with `/` between names");
        }
        for (String name : path.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("generated file path \"" + path + "\" is not a relative path"
                        + " with `/` between names");
            }
        }
    }

    /** The file itself. */
    Path file() {
        return root.resolve(path.replace('/', root.getFileSystem().getSeparator().charAt(0)));
    }

    /** Whether this is a Java source file. */
    boolean isJavaSource() {
        return path.endsWith(".java");
    }

    @Override
    public String toString() {
        return file().toString();
    }
}
