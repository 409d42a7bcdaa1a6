package io.rapace.plugin.stat;

import java.nio.file.Path;
import java.util.List;

/**
 * One reading of a stat file.
 *
 * @param file the file read
 * @param hostPid the pid of the host that writes it
 * @param createdMillis when the host created it, in epoch milliseconds
 * @param rows the rows in use, in the file's order
 * @param busyRows rows skipped because the host kept changing them while they were read (a host killed in the middle
 *     of an update leaves its row so for good)
 */
public record StatSnapshot(Path file, long hostPid, long createdMillis, List<StatRow> rows, int busyRows) {
    public StatSnapshot {
        rows = List.copyOf(rows);
    }
}
