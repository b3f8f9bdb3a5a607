package dev.berth.runtime.security;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.SpecException;

/**
 * The spec's {@code linux.personality} as the value berth-init passes to {@code personality(2)}: the domains the
 * spec defines, {@code LINUX} ({@code PER_LINUX}) and {@code LINUX32} ({@code PER_LINUX32}); the spec defines no flags,
 * so any flag is an error.
 */
public final class Personality {

    static final int PER_LINUX = 0x0000;
    static final int PER_LINUX32 = 0x0008;

    private Personality() {}

    public static int persona(Linux.Personality personality) {
        int domain = switch (personality.domain()) {
            case "LINUX" -> PER_LINUX;
            case "LINUX32" -> PER_LINUX32;
            default -> throw new SpecException("linux.personality: unknown domain " + personality.domain()
                    + " (supported: LINUX, LINUX32)");
        };
        if (!personality.flags().isEmpty()) {
            throw new SpecException("linux.personality: unsupported flags " + String.join(", ", personality.flags()));
        }
        return domain;
    }
}
