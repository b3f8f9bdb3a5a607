package dev.berth.cli.command;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunCommandTest {

    @Test
    void hostEnv_nameWithoutValue_takesItFromTheCliEnvironmentOrIsLeftOut() {
        List<String> env = RunCommand.hostEnv(List.of("A=1", "HOME", "UNSET", "EMPTY"),
                Map.of("HOME", "/root", "EMPTY", "", "A", "ignored"));

        assertEquals(List.of("A=1", "HOME=/root", "EMPTY="), env);
    }
}
