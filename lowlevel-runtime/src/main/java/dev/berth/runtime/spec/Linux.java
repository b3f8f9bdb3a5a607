package dev.berth.runtime.spec;

import java.util.List;
import java.util.Map;

/** The {@code linux} section of config.json. */
public record Linux(
        List<Namespace> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        List<Device> devices,
        String cgroupsPath,
        LinuxResources resources,
        String rootfsPropagation,
        Seccomp seccomp,
        Map<String, String> sysctl,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        Personality personality,
        boolean hasIntelRdt) {

    public static final Linux EMPTY = new Linux(List.of(), List.of(), List.of(), Map.of(), List.of(), "",
            LinuxResources.EMPTY, "", null, Map.of(), List.of(), List.of(), "", null, false);

    static Linux fromJson(JsonObject o) {
        JsonObject offsets = o.optObject("timeOffsets");
        Map<String, TimeOffset> timeOffsets = new java.util.LinkedHashMap<>();
        if (offsets != null) {
            for (String clock : offsets.raw().keySet()) {
                timeOffsets.put(clock, TimeOffset.fromJson(offsets.object(clock)));
            }
        }
        return new Linux(
                o.objects("namespaces", Namespace::fromJson),
                o.objects("uidMappings", IdMapping::fromJson),
                o.objects("gidMappings", IdMapping::fromJson),
                Map.copyOf(timeOffsets),
                o.objects("devices", Device::fromJson),
                o.optString("cgroupsPath", ""),
                o.has("resources") ? LinuxResources.fromJson(o.object("resources")) : LinuxResources.EMPTY,
                o.optString("rootfsPropagation", ""),
                o.has("seccomp") ? Seccomp.fromJson(o.object("seccomp")) : null,
                o.stringMap("sysctl"),
                o.optStrings("maskedPaths") == null ? List.of() : o.strings("maskedPaths"),
                o.strings("readonlyPaths"),
                o.optString("mountLabel", ""),
                o.has("personality") ? Personality.fromJson(o.object("personality")) : null,
                o.has("intelRdt"));
    }

    /** A namespace to create ({@code path} empty) or to join. */
    public record Namespace(String type, String path) {
        static Namespace fromJson(JsonObject o) {
            return new Namespace(o.string("type"), o.optString("path", ""));
        }
    }

    public record IdMapping(long containerID, long hostID, long size) {
        static IdMapping fromJson(JsonObject o) {
            return new IdMapping(o.number("containerID"), o.number("hostID"), o.number("size"));
        }
    }

    public record TimeOffset(long secs, long nanosecs) {
        static TimeOffset fromJson(JsonObject o) {
            Long s = o.optLong("secs");
            Long ns = o.optLong("nanosecs");
            return new TimeOffset(s == null ? 0 : s, ns == null ? 0 : ns);
        }
    }

    /** A device node to create in the container's /dev. */
    public record Device(String type, String path, long major, long minor, Long fileMode, Long uid, Long gid) {
        static Device fromJson(JsonObject o) {
            String type = o.string("type");
            boolean needsNumbers = !type.equals("p");
            return new Device(type, o.string("path"),
                    needsNumbers ? o.number("major") : 0, needsNumbers ? o.number("minor") : 0,
                    o.optLong("fileMode"), o.optLong("uid"), o.optLong("gid"));
        }
    }

    public record Personality(String domain, List<String> flags) {
        static Personality fromJson(JsonObject o) {
            return new Personality(o.string("domain"), o.strings("flags"));
        }
    }

    /** The seccomp section, uncompiled; {@code security.Seccomp} turns it into a BPF program. */
    public record Seccomp(String defaultAction, Long defaultErrnoRet, List<String> architectures, List<String> flags,
                          String listenerPath, String listenerMetadata, List<Syscall> syscalls) {
        static Seccomp fromJson(JsonObject o) {
            return new Seccomp(o.string("defaultAction"), o.optLong("defaultErrnoRet"), o.strings("architectures"),
                    o.strings("flags"), o.optString("listenerPath", ""), o.optString("listenerMetadata", ""),
                    o.objects("syscalls", Syscall::fromJson));
        }
    }

    public record Syscall(List<String> names, String action, Long errnoRet, List<SyscallArg> args) {
        static Syscall fromJson(JsonObject o) {
            return new Syscall(o.strings("names"), o.string("action"), o.optLong("errnoRet"),
                    o.objects("args", SyscallArg::fromJson));
        }
    }

    public record SyscallArg(int index, long value, long valueTwo, String op) {
        static SyscallArg fromJson(JsonObject o) {
            Long two = o.optLong("valueTwo");
            return new SyscallArg((int) o.number("index"), o.number("value"), two == null ? 0 : two, o.string("op"));
        }
    }
}
