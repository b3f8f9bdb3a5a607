package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * docker's {@code --security-opt}s, each {@code key=value} (or the old {@code key:value}):
 * {@code no-new-privileges[=true|false]}, {@code seccomp=unconfined|PROFILE} where PROFILE is the profile's JSON
 * (docker's CLI sends the file's content) or the path of a file on berthd's host, {@code systempaths=unconfined}
 * (no masked or read-only paths), and {@code apparmor=…}/{@code label=…}, accepted and without effect (Berth has
 * neither AppArmor nor SELinux).
 *
 * @param seccomp empty for docker's default profile, {@code "unconfined"} or a profile's JSON
 */
record SecurityOptions(boolean noNewPrivileges, Optional<String> seccomp, boolean unconfinedPaths) {
    static final String UNCONFINED = "unconfined";

    static SecurityOptions parse(List<String> options) {
        boolean noNewPrivileges = false;
        Optional<String> seccomp = Optional.empty();
        boolean unconfinedPaths = false;
        for (String option : options) {
            int eq = option.indexOf('=');
            int colon = option.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            String key = sep < 0 ? option : option.substring(0, sep);
            String value = sep < 0 ? "" : option.substring(sep + 1);
            switch (key) {
                case "no-new-privileges" -> noNewPrivileges = switch (value) {
                    case "", "true" -> true;
                    case "false" -> false;
                    default -> throw invalid(option, "no-new-privileges takes true or false");
                };
                case "seccomp" -> seccomp = Optional.of(profile(option, value));
                case "systempaths" -> {
                    if (!value.equals(UNCONFINED)) {
                        throw invalid(option, "systempaths takes unconfined");
                    }
                    unconfinedPaths = true;
                }
                case "apparmor", "label" -> {
                    // Berth has neither AppArmor nor SELinux: nothing to apply, as docker on a host without them.
                }
                default -> throw invalid(option, "unknown option " + key);
            }
        }
        return new SecurityOptions(noNewPrivileges, seccomp, unconfinedPaths);
    }

    private static String profile(String option, String value) {
        if (value.isEmpty()) {
            throw invalid(option, "seccomp takes unconfined or a profile");
        }
        if (value.equals(UNCONFINED) || value.stripLeading().startsWith("{")) {
            return value;
        }
        try {
            return Files.readString(Path.of(value));
        } catch (IOException e) {
            throw invalid(option, "read seccomp profile " + value + ": " + e.getMessage());
        }
    }

    private static BerthException invalid(String option, String why) {
        String shown = option.length() > 80 ? option.substring(0, 80) + "…" : option;
        return BerthException.invalidArgument("invalid --security-opt " + shown + ": " + why);
    }
}
