package dev.berth.cli.spec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@code berth run} was asked for, beyond the image's own config.
 *
 * @param command replaces the image's Cmd when not empty
 * @param entrypoint replaces the image's Entrypoint when present (an empty string clears it)
 * @param env {@code K=V} entries added after the image's
 * @param memoryBytes the memory limit
 * @param cpus CPUs as a fraction (CFS quota over a 100 ms period)
 */
public record RunOptions(List<String> command, Optional<String> entrypoint, List<String> env,
                         Optional<String> workdir, Optional<String> user, Optional<String> hostname,
                         boolean terminal, boolean readOnly, OptionalLong memoryBytes, OptionalDouble cpus,
                         OptionalLong pidsLimit) {
    public RunOptions {
        command = List.copyOf(command);
        env = List.copyOf(env);
    }
}
