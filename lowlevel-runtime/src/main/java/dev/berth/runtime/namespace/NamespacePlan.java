package dev.berth.runtime.namespace;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The namespaces a container creates and joins, derived from {@code linux.namespaces} and the id mappings.
 *
 * <p>Joins are ordered non-user first, then user: while still in the initial user namespace the process has the
 * capabilities to join namespaces owned by it; a user namespace joined first would take them away.
 */
public record NamespacePlan(
        List<Join> joins,
        long cloneFlags,
        boolean newTimeNamespace,
        String uidMap,
        String gidMap,
        Map<NamespaceKind, String> listed) {

    /** An existing namespace to enter with setns. */
    public record Join(NamespaceKind kind, String path) {}

    public boolean has(NamespaceKind kind) {
        return listed.containsKey(kind);
    }

    public boolean creates(NamespaceKind kind) {
        return listed.containsKey(kind) && listed.get(kind).isEmpty();
    }

    /** Builds the plan for a new container, validating the spec's namespaces. */
    public static NamespacePlan forCreate(Linux linux) {
        Map<NamespaceKind, String> listed = new EnumMap<>(NamespaceKind.class);
        for (Linux.Namespace ns : linux.namespaces()) {
            NamespaceKind kind = NamespaceKind.fromSpecName(ns.type()).orElseThrow(
                    () -> new SpecException("namespace " + ns.type() + " does not exist: unknown namespace type"));
            if (listed.containsKey(kind)) {
                throw new SpecException("namespace " + ns.type() + " is listed twice");
            }
            if (!ns.path().isEmpty()) {
                if (!ns.path().startsWith("/")) {
                    throw new SpecException("namespace " + ns.type() + " path " + ns.path() + " is not absolute");
                }
                if (!Files.exists(Path.of(ns.path()))) {
                    throw new SpecException("namespace " + ns.type() + " path " + ns.path()
                            + ": no such file or directory");
                }
            }
            listed.put(kind, ns.path());
        }
        boolean newUser = listed.containsKey(NamespaceKind.USER) && listed.get(NamespaceKind.USER).isEmpty();
        if (newUser && (linux.uidMappings().isEmpty() || linux.gidMappings().isEmpty())) {
            throw new SpecException("user namespaces enabled, but no uid or gid mappings are given");
        }
        if (!listed.containsKey(NamespaceKind.USER) && (!linux.uidMappings().isEmpty() || !linux.gidMappings().isEmpty())) {
            throw new SpecException("uid or gid mappings are given, but user namespaces are not enabled");
        }
        if (!linux.timeOffsets().isEmpty() && !(listed.containsKey(NamespaceKind.TIME)
                && listed.get(NamespaceKind.TIME).isEmpty())) {
            throw new SpecException("time offsets are given, but no new time namespace is");
        }
        List<Join> joins = new ArrayList<>();
        long flags = 0;
        for (Map.Entry<NamespaceKind, String> e : listed.entrySet()) {
            if (!e.getValue().isEmpty()) {
                joins.add(new Join(e.getKey(), e.getValue()));
            } else if (e.getKey() != NamespaceKind.TIME) {
                flags |= e.getKey().cloneFlag();
            }
        }
        boolean newTime = listed.containsKey(NamespaceKind.TIME) && listed.get(NamespaceKind.TIME).isEmpty();
        return new NamespacePlan(List.copyOf(joins), flags, newTime,
                newUser ? idMap(linux.uidMappings()) : "", newUser ? idMap(linux.gidMappings()) : "", Map.copyOf(listed));
    }

    /** Builds the plan for a process joining every namespace listed for a running container's init. */
    public static NamespacePlan forExec(Map<NamespaceKind, String> listed, int initPid) {
        List<Join> joins = new ArrayList<>();
        for (NamespaceKind kind : NamespaceKind.values()) {
            if (listed.containsKey(kind)) {
                joins.add(new Join(kind, "/proc/" + initPid + "/ns/" + kind.procName()));
            }
        }
        return new NamespacePlan(List.copyOf(joins), 0, false, "", "", Map.copyOf(listed));
    }

    private static String idMap(List<Linux.IdMapping> mappings) {
        return mappings.stream()
                .map(m -> m.containerID() + " " + m.hostID() + " " + m.size())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** The contents of {@code /proc/self/timens_offsets} for the spec's time offsets. */
    public static String timeOffsets(Linux linux) {
        StringBuilder sb = new StringBuilder();
        linux.timeOffsets().forEach((clock, off) ->
                sb.append(clock).append(' ').append(off.secs()).append(' ').append(off.nanosecs()).append('\n'));
        return sb.toString();
    }
}
