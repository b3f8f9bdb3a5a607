package dev.berth.runtime.namespace;

import java.util.Optional;

/** The Linux namespace kinds the runtime spec names, with their clone flag and their file in /proc/PID/ns. */
public enum NamespaceKind {
    // declaration order is the order in which berth-init joins existing namespaces: user comes last, see NamespacePlan
    PID("pid", 0x20000000L, "pid"),
    NETWORK("network", 0x40000000L, "net"),
    MOUNT("mount", 0x00020000L, "mnt"),
    IPC("ipc", 0x08000000L, "ipc"),
    UTS("uts", 0x04000000L, "uts"),
    CGROUP("cgroup", 0x02000000L, "cgroup"),
    TIME("time", 0x00000080L, "time"),
    USER("user", 0x10000000L, "user");

    private final String specName;
    private final long cloneFlag;
    private final String procName;

    NamespaceKind(String specName, long cloneFlag, String procName) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    /** The spec's {@code linux.namespaces[].type}. */
    public String specName() {
        return specName;
    }

    /** The {@code CLONE_NEW*} flag. */
    public long cloneFlag() {
        return cloneFlag;
    }

    /** The file name under {@code /proc/PID/ns/}. */
    public String procName() {
        return procName;
    }

    public static Optional<NamespaceKind> fromSpecName(String name) {
        for (NamespaceKind k : values()) {
            if (k.specName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
