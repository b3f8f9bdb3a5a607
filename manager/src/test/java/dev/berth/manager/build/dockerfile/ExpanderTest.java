package dev.berth.manager.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.errdefs.BerthException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpanderTest {
    private static final Map<String, String> ENV = Map.of("A", "a", "EMPTY", "", "P", "/usr/bin", "X_1", "x");
    private static final Expander BACKSLASH = new Expander('\\', name -> Optional.ofNullable(ENV.get(name)));
    private static final Expander BACKTICK = new Expander('`', name -> Optional.ofNullable(ENV.get(name)));

    /** word, expansion (cases from docker's shell lexer tests and its documentation). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "$A|a",
        "${A}|a",
        "${A}b|ab",
        "$Ab|",
        "$X_1|x",
        "$NOPE|",
        "~${NOPE:-def}~|def",
        "~${EMPTY:-def}~|def",
        "~${EMPTY-def}~|",
        "~${NOPE-def}~|def",
        "~${A:-def}~|a",
        "~${A:+alt}~|alt",
        "~${EMPTY:+alt}~|",
        "~${EMPTY+alt}~|alt",
        "~${NOPE:+alt}~|",
        "~${NOPE:-${A}x}~|ax",
        "~${P}:/bin~|/usr/bin:/bin",
        "'$A'|$A",
        "\"$A b\"|a b",
        "\"\\$A\"|$A",
        "\"\\n\"|\\n",
        "\\$A|$A",
        "a\\ b|a b",
        "$|$",
        "a$|a$",
        "$ x|$ x",
        "~\"${A:-'q'}\"~|a",
        "~'\"'~|\"",
    })
    void expands(String word, String expected) {
        assertEquals(expected == null ? "" : expected, BACKSLASH.expand(word));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "`$A|$A",
        "C:\\dir\\$A|C:\\dir\\a",
    })
    void backtickEscape(String word, String expected) {
        assertEquals(expected, BACKTICK.expand(word));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "'open|expand \"'open\": unexpected end of statement while looking for matching single-quote",
        "\"open|expand \"\"open\": unexpected end of statement while looking for matching double-quote",
        "~${A~|expand \"${A\": missing '}'",
        "~${}~|expand \"${}\": bad substitution",
        "~${A/x/y}~|expand \"${A/x/y}\": unsupported modifier (/) in substitution",
        "~${NOPE:?must be set}~|expand \"${NOPE:?must be set}\": NOPE: must be set",
        "~${NOPE?}~|expand \"${NOPE?}\": NOPE: is not allowed to be unset",
    })
    void errors(String word, String message) {
        assertEquals(message, assertThrows(BerthException.class, () -> BACKSLASH.expand(word)).getMessage());
    }
}
