package io.rapace.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test helper: the files of ours that processes with the given pids left in {@code /dev/shm}. */
public final class ShmFiles {
    private ShmFiles() {
    }

    public static List<String> leftBy(long... pids) {
        try (Stream<Path> files = Files.list(Segment.DEFAULT_DIRECTORY)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> {
                        for (long pid : pids) {
                            if (name.startsWith(Segment.FILE_PREFIX + pid + "-")) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> leftByThisProcess() {
        return leftBy(ProcessHandle.current().pid());
    }
}
