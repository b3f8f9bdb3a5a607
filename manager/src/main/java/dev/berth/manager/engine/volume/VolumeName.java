package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** docker's rules for local volume names, and its generated names for anonymous volumes (64 hex digits). */
final class VolumeName {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final SecureRandom random = new SecureRandom();

    /** INVALID_ARGUMENT with docker's wording unless {@code name} is a valid local volume name. */
    static void validate(String op, String name) {
        if (name.length() < 2) {
            throw BerthException.invalidArgument(op + " " + name
                    + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!VALID.matcher(name).matches()) {
            throw BerthException.invalidArgument(op + " " + name + ": \"" + name + "\" includes invalid characters"
                    + " for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to"
                    + " pass a host directory, use absolute path");
        }
    }

    static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    static boolean isGenerated(String name) {
        return HEX64.matcher(name).matches();
    }

    /** A fresh random name as docker's {@code stringid.GenerateRandomID}: 32 random bytes in hex. */
    String generate() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
