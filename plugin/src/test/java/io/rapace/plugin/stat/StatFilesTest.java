package io.rapace.plugin.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.shm.Segment;
import org.junit.jupiter.api.Test;

/**
 * The stat package imports the JDK only (the stat tool runs on the plugin jar alone), so it spells the runtime's
 * segment directory again; this test keeps the two spellings the same.
 */
class StatFilesTest {

    @Test
    void looksInTheDirectoryOfTheSegments() {
        assertEquals(Segment.DIRECTORY_PROPERTY, StatFiles.DIRECTORY_PROPERTY);
        assertEquals(Segment.DEFAULT_DIRECTORY, StatFiles.DEFAULT_DIRECTORY);
        assertEquals(Segment.defaultDirectory(), StatFiles.defaultDirectory());
    }
}
