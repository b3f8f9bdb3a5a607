package dev.berth.runtime.security;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PersonalityTest {

    @Test
    void persona_linux() {
        assertEquals(0, Personality.persona(new Linux.Personality("LINUX", List.of())));
    }

    @Test
    void persona_linux32() {
        assertEquals(8, Personality.persona(new Linux.Personality("LINUX32", List.of())));
    }

    @Test
    void persona_unknownDomain_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class,
                () -> Personality.persona(new Linux.Personality("SVR4", List.of())));

        assertEquals("linux.personality: unknown domain SVR4 (supported: LINUX, LINUX32)", e.getMessage());
    }

    @Test
    void persona_anyFlag_rejected() {
        SpecException e = assertThrows(SpecException.class,
                () -> Personality.persona(new Linux.Personality("LINUX", List.of("ADDR_NO_RANDOMIZE"))));

        assertEquals("linux.personality: unsupported flags ADDR_NO_RANDOMIZE", e.getMessage());
    }
}
