package io.rapace.maven;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What the last successful generation of one execution depended on and wrote, kept in a state file under
 * {@code target}: the {@linkplain Fingerprint fingerprint}, the input files read (those included and those only
 * imported, whose contents the next run hashes again), and the files written (so that the next run can check they
 * still exist, and delete those it no longer writes).
 *
 * @param fingerprint the fingerprint of the configuration and the inputs
 * @param inputs every file read, absolute, in the order read
 * @param outputs every file written
 */
record GenerationState(String fingerprint, List<Path> inputs, List<OutputPath> outputs) {

    /** Written first in the file; a state of another format is ignored, which regenerates everything. */
    private static final String FORMAT = "rapace-maven-plugin state 1";

    GenerationState {
        Objects.requireNonNull(fingerprint, "fingerprint");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The state in {@code file}, or empty if there is none or it cannot be read or understood. */
    static Optional<GenerationState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            if (!FORMAT.equals(properties.getProperty("format"))) {
                return Optional.empty();
            }
            String fingerprint = required(properties, "fingerprint");
            List<Path> inputs = new ArrayList<>();
            int inputCount = Integer.parseInt(required(properties, "inputs"));
            for (int i = 0; i < inputCount; i++) {
                inputs.add(Path.of(required(properties, "input." + i)));
            }
            List<OutputPath> outputs = new ArrayList<>();
            int outputCount = Integer.parseInt(required(properties, "outputs"));
            for (int i = 0; i < outputCount; i++) {
                outputs.add(new OutputPath(Path.of(required(properties, "output." + i + ".root")),
                        required(properties, "output." + i + ".path")));
            }
            return Optional.of(new GenerationState(fingerprint, inputs, outputs));
        } catch (IllegalArgumentException e) {
            // a bad number, an InvalidPathException, an output path that is not relative
            return Optional.empty();
        }
    }

    /** Writes this state to {@code file}, replacing it in one step where the file system can. */
    void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("fingerprint", fingerprint);
        properties.setProperty("inputs", Integer.toString(inputs.size()));
        for (int i = 0; i < inputs.size(); i++) {
            properties.setProperty("input." + i, inputs.get(i).toString());
        }
        properties.setProperty("outputs", Integer.toString(outputs.size()));
        for (int i = 0; i < outputs.size(); i++) {
            properties.setProperty("output." + i + ".root", outputs.get(i).root().toString());
            properties.setProperty("output." + i + ".path", outputs.get(i).path());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "What the last generation read and wrote; delete this file to regenerate");
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }
}
