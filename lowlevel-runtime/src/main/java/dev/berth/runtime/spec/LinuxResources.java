package dev.berth.runtime.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code linux.resources}: cgroup limits. Also the document {@code update --resources} reads. Every field is
 * optional; null means "leave as it is".
 */
public record LinuxResources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Map<String, String> unified,
        Network network) {

    public static final LinuxResources EMPTY =
            new LinuxResources(List.of(), null, null, null, null, List.of(), Map.of(), null);

    /** Without {@code network}, which only {@code create} reads ({@code update} has no flag for it, as in runc). */
    public LinuxResources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
                          List<HugepageLimit> hugepageLimits, Map<String, String> unified) {
        this(devices, memory, cpu, pids, blockIO, hugepageLimits, unified, null);
    }

    public static LinuxResources fromJson(JsonObject o) {
        return new LinuxResources(
                o.objects("devices", DeviceRule::fromJson),
                o.has("memory") ? Memory.fromJson(o.object("memory")) : null,
                o.has("cpu") ? Cpu.fromJson(o.object("cpu")) : null,
                o.has("pids") ? new Pids(o.object("pids").number("limit")) : null,
                o.has("blockIO") ? BlockIO.fromJson(o.object("blockIO")) : null,
                o.objects("hugepageLimits", h -> new HugepageLimit(h.string("pageSize"), h.number("limit"))),
                o.stringMap("unified"),
                o.has("network") ? Network.fromJson(o.object("network")) : null);
    }

    /** A device cgroup rule: {@code type} is a, c or b; null major/minor mean any ({@code *}). */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
        static DeviceRule fromJson(JsonObject o) {
            return new DeviceRule(o.optBool("allow", false), o.optString("type", "a"), o.optLong("major"),
                    o.optLong("minor"), o.optString("access", "rwm"));
        }
    }

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
                         Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {
        static Memory fromJson(JsonObject o) {
            return new Memory(o.optLong("limit"), o.optLong("reservation"), o.optLong("swap"), o.optLong("kernel"),
                    o.optLong("kernelTCP"), o.optLong("swappiness"),
                    o.has("disableOOMKiller") ? o.optBool("disableOOMKiller", false) : null,
                    o.has("useHierarchy") ? o.optBool("useHierarchy", false) : null,
                    o.has("checkBeforeUpdate") ? o.optBool("checkBeforeUpdate", false) : null);
        }
    }

    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle) {
        static Cpu fromJson(JsonObject o) {
            return new Cpu(o.optLong("shares"), o.optLong("quota"), o.optLong("burst"), o.optLong("period"),
                    o.optLong("realtimeRuntime"), o.optLong("realtimePeriod"), o.optString("cpus", null),
                    o.optString("mems", null), o.optLong("idle"));
        }
    }

    public record Pids(long limit) {}

    public record BlockIO(Long weight, Long leafWeight, List<WeightDevice> weightDevice,
                          List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
                          List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice) {
        static BlockIO fromJson(JsonObject o) {
            return new BlockIO(o.optLong("weight"), o.optLong("leafWeight"),
                    o.objects("weightDevice", w -> new WeightDevice(w.number("major"), w.number("minor"),
                            w.optLong("weight"), w.optLong("leafWeight"))),
                    o.objects("throttleReadBpsDevice", ThrottleDevice::fromJson),
                    o.objects("throttleWriteBpsDevice", ThrottleDevice::fromJson),
                    o.objects("throttleReadIOPSDevice", ThrottleDevice::fromJson),
                    o.objects("throttleWriteIOPSDevice", ThrottleDevice::fromJson));
        }
    }

    public record WeightDevice(long major, long minor, Long weight, Long leafWeight) {}

    public record ThrottleDevice(long major, long minor, long rate) {
        static ThrottleDevice fromJson(JsonObject o) {
            return new ThrottleDevice(o.number("major"), o.number("minor"), o.number("rate"));
        }
    }

    public record HugepageLimit(String pageSize, long limit) {}

    /** {@code network}: the net_cls class id and the net_prio priority of each interface (cgroup v1 only). */
    public record Network(Long classID, List<InterfacePriority> priorities) {
        static Network fromJson(JsonObject o) {
            return new Network(o.optLong("classID"), o.objects("priorities",
                    p -> new InterfacePriority(p.string("name"), p.number("priority"))));
        }
    }

    public record InterfacePriority(String name, long priority) {}
}
