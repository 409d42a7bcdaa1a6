package io.rapace.plugin.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RapaceStat as an operator runs it: its own JVM, reading the file this JVM publishes. */
@Timeout(60)
class RapaceStatProcessTest {

    @Test
    void printsTheTableOfAHostInAnotherProcess(@TempDir Path dir) throws Exception {
        try (StatFileWriter writer = StatFileWriter.create(dir, RapaceStatTest.SELF, 8)) {
            RapaceStatTest.publish(writer);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RapaceStat.class.getName(), "--once", "--dir",
                    dir.toString(), Long.toString(RapaceStatTest.SELF))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            List<String> lines = output.lines().toList();
            assertTrue(lines.get(0).startsWith("rapace host " + RapaceStatTest.SELF + " (" + writer.file() + "), up "),
                    output);
            assertEquals(RapaceStatTest.TABLE, lines.subList(1, lines.size()));
        }
    }
}
