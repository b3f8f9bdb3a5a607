package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The v2 device rules check. v2 controls devices with an eBPF program attached to the cgroup, which Berth does not
 * implement yet. Rules are accepted without enforcement only where that loses nothing a container relies on:
 * no rules, allow-all, or deny-all followed by allows of runc's and containerd's default devices (null, zero, full,
 * random, urandom, tty, console, ptmx, pts, tun, and mknod of any device); those devices are created by the
 * runtime anyway, and no other device node exists in the container. Any other list is refused.
 */
final class DevicePolicy {
    private static final Set<String> DEFAULT_ALLOWS = Set.of(
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm",
            "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm");

    private DevicePolicy() {}

    static void check(Path dir, List<LinuxResources.DeviceRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return;
        }
        LinuxResources.DeviceRule first = rules.getFirst();
        if (rules.size() == 1 && first.allow() && format(first).equals("a *:* rwm")) {
            return;
        }
        boolean defaults = !first.allow() && format(first).equals("a *:* rwm")
                && rules.stream().skip(1).allMatch(r -> r.allow() && DEFAULT_ALLOWS.contains(format(r)));
        if (!defaults) {
            throw new CgroupException("set devices " + dir
                    + ": eBPF device control for cgroup v2 is not implemented yet (only the default rules are accepted)");
        }
    }

    private static String format(LinuxResources.DeviceRule rule) {
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n == -1 ? "*" : Long.toString(n);
    }
}
