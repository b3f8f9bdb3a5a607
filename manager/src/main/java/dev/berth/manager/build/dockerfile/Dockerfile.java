package dev.berth.manager.build.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile.
 *
 * @param escape     the escape character ({@code \} or the {@code # escape=} directive's {@code `})
 * @param globalArgs the {@code ARG}s before the first {@code FROM}: visible to every {@code FROM} line, and inside a
 *                   stage only after an {@code ARG NAME} without a value re-declares them
 * @param stages     one per {@code FROM}, in order; never empty
 */
public record Dockerfile(char escape, List<Instruction.Arg> globalArgs, List<Stage> stages) {
    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
    }

    /** The stage named {@code nameOrIndex} ({@code AS name}, case-insensitive as docker) or at that index. */
    public Optional<Stage> stage(String nameOrIndex) {
        for (Stage stage : stages) {
            if (stage.name().filter(n -> n.equalsIgnoreCase(nameOrIndex)).isPresent()) {
                return Optional.of(stage);
            }
        }
        if (!nameOrIndex.isEmpty() && nameOrIndex.chars().allMatch(Character::isDigit) && nameOrIndex.length() < 9) {
            int index = Integer.parseInt(nameOrIndex);
            if (index < stages.size()) {
                return Optional.of(stages.get(index));
            }
        }
        return Optional.empty();
    }

    /** Every instruction of every stage, the {@code FROM}s included: {@code M} of docker's "Step N/M". */
    public int instructionCount(Stage last) {
        int count = 0;
        for (Stage stage : stages) {
            count += 1 + stage.instructions().size();
            if (stage == last) {
                break;
            }
        }
        return count;
    }
}
