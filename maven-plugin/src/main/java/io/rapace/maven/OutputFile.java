package io.rapace.maven;

import java.util.Objects;

/**
 * A file the generator produced, and where it goes.
 *
 * @param target where it is written
 * @param content its text, written as UTF-8
 */
record OutputFile(OutputPath target, String content) {

    OutputFile {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
    }
}
