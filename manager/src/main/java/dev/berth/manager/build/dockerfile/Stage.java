package dev.berth.manager.build.dockerfile;

import java.util.List;
import java.util.Optional;

/** One build stage: its {@code FROM} and the instructions up to the next {@code FROM}. */
public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The stage's {@code AS} name, lower-cased as docker keeps it. */
    public Optional<String> name() {
        return from.name();
    }
}
