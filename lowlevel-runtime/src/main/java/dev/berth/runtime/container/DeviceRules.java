package dev.berth.runtime.container;

import dev.berth.runtime.rootfs.RootfsPlan;
import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.LinuxResources;
import dev.berth.runtime.spec.LinuxResources.DeviceRule;
import dev.berth.runtime.spec.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * The device cgroup rules a container gets: the spec's own, then allow rules for the devices every container
 * has, as runc appends them (mknod of anything, the default nodes, /dev/console, ptys and /dev/net/tun).
 */
final class DeviceRules {
    private static final List<DeviceRule> ALWAYS_ALLOWED = List.of(
            new DeviceRule(true, "c", null, null, "m"),
            new DeviceRule(true, "b", null, null, "m"),
            new DeviceRule(true, "c", 5L, 1L, "rwm"),
            new DeviceRule(true, "c", 136L, null, "rwm"),
            new DeviceRule(true, "c", 5L, 2L, "rwm"),
            new DeviceRule(true, "c", 10L, 200L, "rwm"));

    private DeviceRules() {}

    static LinuxResources withDefaults(Spec spec) {
        LinuxResources r = spec.linux().resources();
        List<DeviceRule> rules = new ArrayList<>(r.devices());
        rules.addAll(ALWAYS_ALLOWED);
        // the spec's own devices are created but allowed only if its rules say so, as in runc
        for (Linux.Device d : RootfsPlan.defaultDevices()) {
            rules.add(new DeviceRule(true, d.type(), d.major(), d.minor(), "rwm"));
        }
        return new LinuxResources(List.copyOf(rules), r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(),
                r.unified(), r.network());
    }
}
