package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/**
 * The v1 devices controller: writes the spec's rules in order, each to {@code devices.allow} or
 * {@code devices.deny}. A leading {@code a *:* rwm} deny resets the cgroup to deny-all first.
 *
 * <p>Unlike runc, which computes the difference to the current list, an update rewrites the rules as given, so a
 * running container may briefly lose access to a device it is allowed again a few writes later.
 */
final class DevicesController implements Controller {
    private final CgroupFs fs;

    DevicesController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.devices() != null && !r.devices().isEmpty();
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        if (r.devices() == null) {
            return;
        }
        for (LinuxResources.DeviceRule rule : r.devices()) {
            fs.write(dir.resolve(rule.allow() ? "devices.allow" : "devices.deny"), format(rule));
        }
    }

    /** The kernel's rule syntax: {@code c 1:3 rwm}, with {@code *} for any major or minor. */
    static String format(LinuxResources.DeviceRule rule) {
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n == -1 ? "*" : Long.toString(n);
    }
}
