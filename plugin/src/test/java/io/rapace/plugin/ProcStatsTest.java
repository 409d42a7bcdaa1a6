package io.rapace.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatsTest {
    /** A real line of /proc/<pid>/stat, with a command name that holds spaces and parentheses. */
    private static final String STAT = "4711 (java (main) x) S 1 4711 4711 0 -1 4194560 25791 0 1 0 "
            + "1234 567 0 0 20 0 31 0 123456 4096000000 51234 18446744073709551615 1 1 0 0 0 0 0 4096 17167 0 0 0 "
            + "17 1 0 0 0 0 0\n";

    @Test
    void readsUserPlusSystemTimeCountingFieldsFromTheLastParenthesis() {
        assertEquals((1234 + 567) * 10_000_000L, ProcStats.parseCpuTimeNanos(STAT));
    }

    @Test
    void readsResidentMemoryFromVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t   51234 kB\nThreads:\t31\n";
        assertEquals(51234L * 1024, ProcStats.parseResidentBytes(status));
    }

    @Test
    void garbageGivesMinusOneNeverAnException() {
        assertEquals(-1, ProcStats.parseCpuTimeNanos(""));
        assertEquals(-1, ProcStats.parseCpuTimeNanos("4711 java S 1 2 3"));
        assertEquals(-1, ProcStats.parseCpuTimeNanos("4711 (java) S 1 2"));
        assertEquals(-1, ProcStats.parseCpuTimeNanos("4711 (java) S 1 4711 4711 0 -1 0 0 0 0 0 -5 7 0"));
        assertEquals(-1,
                ProcStats.parseCpuTimeNanos("4711 (java) S 1 4711 4711 0 -1 0 0 0 0 0 99999999999999999999 7"));
        assertEquals(-1, ProcStats.parseResidentBytes(""));
        assertEquals(-1, ProcStats.parseResidentBytes("VmRSS:\t12 MB\n"));
        assertEquals(-1, ProcStats.parseResidentBytes("VmRSS:\tlots kB\n"));
        assertEquals(-1, ProcStats.parseResidentBytes("VmRSS:\n"));
        assertEquals(-1, ProcStats.cpuTimeNanos(-42));
        assertEquals(-1, ProcStats.residentBytes(-42));
    }

    @Test
    void measuresThisProcessOnLinux() {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "Linux only");
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcStats.cpuTimeNanos(pid) > 0);
        assertTrue(ProcStats.residentBytes(pid) > 1024 * 1024);
    }
}
