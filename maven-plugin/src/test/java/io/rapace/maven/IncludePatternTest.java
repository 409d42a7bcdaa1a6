package io.rapace.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncludePatternTest {

    private static final List<String> FILES = List.of("host.rapace", "host.rapace.bak", "api/v1/chat.rapace",
            "api/common.rapace", "README.md", "api/v1/Chat.RAPACE", "x.rapace/inner.rapace", "rapace");

    private static List<String> matching(String pattern) {
        IncludePattern include = IncludePattern.compile(pattern);
        List<String> matched = new ArrayList<>();
        for (String file : FILES) {
            if (include.matches(file)) {
                matched.add(file);
            }
        }
        return matched;
    }

    @Test
    void theDefaultMatchesEveryRapaceFileAtAnyDepthIncludingTheTop() {
        assertEquals(List.of("host.rapace", "api/v1/chat.rapace", "api/common.rapace", "x.rapace/inner.rapace"),
                matching(IncludePattern.DEFAULT));
    }

    @Test
    void aPatternWithoutDirectoriesMatchesOnlyTheTop() {
        assertEquals(List.of("host.rapace"), matching("*.rapace"));
    }

    @Test
    void doubleStarInTheMiddleMatchesZeroOrMoreDirectories() {
        assertEquals(List.of("api/v1/chat.rapace", "api/common.rapace"), matching("api/**/*.rapace"));
        assertEquals(List.of("api/v1/chat.rapace"), matching("**/v1/**/*.rapace"));
        assertEquals(List.of("api/v1/chat.rapace"), matching("**/**/v1/*.rapace"));
    }

    @Test
    void aTrailingSlashMatchesEverythingBelow() {
        assertEquals(List.of("api/v1/chat.rapace", "api/common.rapace", "api/v1/Chat.RAPACE"), matching("api/"));
    }

    @Test
    void questionMarkIsOneCharacterAndCaseMatters() {
        assertEquals(List.of("api/v1/chat.rapace"), matching("api/v?/c*.rapace"));
        assertEquals(List.of("api/v1/Chat.RAPACE"), matching("**/*.RAPACE"));
        assertEquals(List.of(), matching("api/v??/*.rapace"));
    }

    @Test
    void backslashesLeadingSlashAndDotNamesAreNormalised() {
        assertEquals(List.of("api/common.rapace"), matching("api\\common.rapace"));
        assertEquals(List.of("api/common.rapace"), matching("/api/common.rapace"));
        assertEquals(List.of("api/common.rapace"), matching("./api/./common.rapace"));
        assertEquals(List.of("api/common.rapace"), matching("api//common.rapace"));
    }

    @Test
    void otherGlobCharactersStandForThemselves() {
        assertTrue(IncludePattern.compile("a{b,c}[d].rapace").matches("a{b,c}[d].rapace"));
        assertFalse(IncludePattern.compile("a{b,c}.rapace").matches("ab.rapace"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "a*b*c|abc|true",
        "a*b*c|aXbYbZc|true",
        "a*b*c|aXbYbZ|false",
        "*.rapace|.rapace|true",
        "*x|xxxx|true",
        "??|ab|true",
        "??|abc|false",
        "?|\u00e9|true",
        "?|\uD83D\uDE00|true",
        "**|deep|true",
    })
    void matchesOneNameWithStarAndQuestionMark(String pattern, String name, boolean expected) {
        assertEquals(expected, IncludePattern.matchesName(pattern, name));
    }

    @Test
    void rejectsPatternsThatNameNoFileOrLeaveTheDirectory() {
        assertEquals("an include pattern is empty",
                assertThrows(IllegalArgumentException.class, () -> IncludePattern.compile(" ")).getMessage());
        assertEquals("the include pattern \".\" names no file",
                assertThrows(IllegalArgumentException.class, () -> IncludePattern.compile(".")).getMessage());
        assertEquals("the include pattern \"../other/*.rapace\" leaves the source directory (`..`)",
                assertThrows(IllegalArgumentException.class, () -> IncludePattern.compile("../other/*.rapace"))
                        .getMessage());
    }

    @Test
    void noPatternsMeansTheDefault() {
        assertEquals("[**/*.rapace]", IncludePattern.compileAll(null).toString());
        assertEquals("[**/*.rapace]", IncludePattern.compileAll(List.of()).toString());
        assertEquals("[a/*.rapace, b/]", IncludePattern.compileAll(List.of("a/*.rapace", "b/")).toString());
    }
}
