package io.rapace.idl.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where IDL files come from: the file system, or sources given as text. Resolves imports and reads files. */
abstract class SourceFiles {

    /** The largest file read; an IDL file is text a person writes. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    /**
     * A file: {@code name} as diagnostics show it, {@code key} identifying it (two spellings of one path have one key).
     */
    record Location(String name, String key) {
    }

    /** A file's text, or why it could not be read. {@code invalidUtf8At} is a char offset, or -1. */
    record Contents(String text, int invalidUtf8At, String error) {
    }

    /** Where an import leads, or ({@code location} null) why its path is not acceptable. */
    record Resolution(Location location, String error) {
    }

    /** The location of an import of {@code path} written in {@code from}, or why the path is not acceptable. */
    final Resolution resolve(Location from, String path) {
        String error = null;
        if (path.isEmpty()) {
            error = "the import path is empty";
        } else if (path.indexOf('\\') >= 0) {
            error = "import paths separate directories with `/`, not `\\`";
        } else if (path.startsWith("/") || (path.length() > 1 && path.charAt(1) == ':')) {
            error = "import paths are relative to the importing file; " + Text.quote(path) + " is absolute";
        } else if (path.chars().anyMatch(Character::isISOControl)) {
            error = "the import path contains a control character";
        }
        if (error != null) {
            return new Resolution(null, error);
        }
        try {
            return new Resolution(resolveRelative(from, path), null);
        } catch (InvalidPathException e) {
            return new Resolution(null, "invalid import path: " + e.getReason());
        }
    }

    /** Resolves a valid relative {@code path} against the directory of {@code from}. */
    abstract Location resolveRelative(Location from, String path);

    /** Reads the file at {@code location}. */
    abstract Contents read(Location location);

    /** How {@code to} is written as an import in {@code from}, for the hint about a missing import. */
    static String importPath(Location from, Location to) {
        try {
            Path parent = Path.of(from.key()).getParent();
            Path target = Path.of(to.key());
            Path relative = parent == null ? target : parent.relativize(target);
            return relative.toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return to.name();
        }
    }

    /**
     * Files on disk: names as given (imports resolved beside their importer), keys absolute and normalised. Relative
     * names are relative to the base directory, or to the working directory if there is none.
     */
    static final class OnDisk extends SourceFiles {

        private final Path base;

        OnDisk() {
            this.base = null;
        }

        OnDisk(Path base) {
            this.base = base.toAbsolutePath().normalize();
        }

        Location root(Path path) {
            Path file = base == null ? path : base.resolve(path);
            return new Location(path.toString(), file.toAbsolutePath().normalize().toString());
        }

        @Override
        Location resolveRelative(Location from, String path) {
            return root(Path.of(from.name()).resolveSibling(path).normalize());
        }

        @Override
        Contents read(Location location) {
            Path path = Path.of(location.key());
            try {
                if (Files.isDirectory(path)) {
                    return new Contents(null, -1, "it is a directory");
                }
                if (Files.size(path) > MAX_FILE_BYTES) {
                    return new Contents(null, -1, "it is larger than " + MAX_FILE_BYTES + " bytes");
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(path)) {
                    bytes = in.readNBytes(MAX_FILE_BYTES + 1);
                }
                if (bytes.length > MAX_FILE_BYTES) {
                    return new Contents(null, -1, "it is larger than " + MAX_FILE_BYTES + " bytes");
                }
                return decode(bytes);
            } catch (NoSuchFileException e) {
                return new Contents(null, -1, "no such file");
            } catch (AccessDeniedException e) {
                return new Contents(null, -1, "permission denied");
            } catch (IOException | SecurityException e) {
                return new Contents(null, -1, String.valueOf(e.getMessage()));
            }
        }

        /** UTF-8 to text; each malformed sequence becomes U+FFFD, and the first is remembered. */
        static Contents decode(byte[] bytes) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharBuffer out = CharBuffer.allocate(bytes.length + 1);
            int invalidAt = -1;
            while (true) {
                CoderResult result = decoder.decode(in, out, true);
                if (result.isError()) {
                    if (invalidAt < 0) {
                        invalidAt = out.position();
                    }
                    out.put('\uFFFD');
                    in.position(in.position() + result.length());
                } else {
                    break;
                }
            }
            decoder.flush(out);
            out.flip();
            return new Contents(out.toString(), invalidAt, null);
        }
    }

    /** Sources given as text, found by their normalised names. */
    static final class InMemory extends SourceFiles {

        private final Map<String, String> texts = new HashMap<>();

        InMemory(List<SourceText> sources) {
            for (SourceText source : sources) {
                texts.putIfAbsent(normalize(source.name()), source.text());
            }
        }

        Location root(String name) {
            String normalized = normalize(name);
            return new Location(normalized, normalized);
        }

        private static String normalize(String name) {
            try {
                return Path.of(name).normalize().toString().replace('\\', '/');
            } catch (InvalidPathException e) {
                return name;
            }
        }

        @Override
        Location resolveRelative(Location from, String path) {
            return root(Path.of(from.name()).resolveSibling(path).toString());
        }

        @Override
        Contents read(Location location) {
            String text = texts.get(location.key());
            return text == null ? new Contents(null, -1, "no such file") : new Contents(text, -1, null);
        }
    }
}
