package io.rapace.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SHA-256 of everything a generation depends on: the configuration (plugin and its version, parameters, the
 * files the includes matched) and every input file read, by path and content. Two runs with the same fingerprint
 * produce the same output, so the second may skip.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    /**
     * The fingerprint of {@code configuration} and the files {@code inputs}, in that order. A file that cannot be read
     * counts as its path and the reason, so it differs from any content it had, and the next generation reports it.
     */
    static String of(List<String> configuration, List<Path> inputs) {
        MessageDigest digest = sha256();
        for (String line : configuration) {
            update(digest, "setting", line.getBytes(StandardCharsets.UTF_8));
        }
        for (Path input : inputs) {
            update(digest, "file", input.toString().getBytes(StandardCharsets.UTF_8));
            try {
                update(digest, "content", Files.readAllBytes(input));
            } catch (IOException | SecurityException e) {
                String reason = e instanceof IOException io ? IoErrors.describe(io) : String.valueOf(e.getMessage());
                update(digest, "unreadable", reason.getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The SHA-256 of a file, or of a directory's files (their relative paths and contents, in path order), in
     * hexadecimal; of a reason when it cannot be read.
     */
    static String ofFileOrDirectory(Path path) {
        MessageDigest digest = sha256();
        try {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
                }
                for (Path file : files) {
                    update(digest, "file", path.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    update(digest, "content", Files.readAllBytes(file));
                }
            } else {
                update(digest, "content", Files.readAllBytes(path));
            }
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            update(digest, "unreadable", IoErrors.describe(cause).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Each part is tagged and length-prefixed, so no two different sequences of parts feed the same bytes. */
    private static void update(MessageDigest digest, String tag, byte[] bytes) {
        digest.update(tag.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        long length = bytes.length;
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (length >>> shift));
        }
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
