package dev.berth.manager.engine.spec;

import java.util.List;

/**
 * The identity a container's process runs as, resolved from docker's {@code user[:group]} and the image's
 * {@code /etc/passwd} and {@code /etc/group}.
 *
 * @param home the user's home directory from passwd, {@code /} when the user is not listed
 * @param additionalGids the primary group, the user's supplementary groups, then {@code --group-add}'s
 */
public record ExecUser(long uid, long gid, List<Long> additionalGids, String home) {
    public ExecUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
