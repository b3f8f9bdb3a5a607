package dev.berth.runtime.cgroup;

import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup: its directories in every hierarchy, the limits written there, and what can be read back.
 *
 * <p>Lifecycle: {@link Cgroups#open} resolves the directories without touching them; {@link #apply} creates them and
 * moves the container's first process in (before it forks anything); {@link #set} writes limits at create time
 * and again for {@code update}; {@link #destroy} removes the directories after the caller has killed every process.
 * {@link Cgroups#load} reopens the cgroup of an existing container from {@link #paths()}.
 */
public interface Cgroup {

    /** Creates the directories if needed and moves {@code pid} into the cgroup in every hierarchy. */
    void apply(long pid);

    /**
     * The files into which a single-threaded process writes {@code "0"} to join the cgroup itself, instead of
     * {@link #apply} (its directories made by {@link #set} first): cgroup v1's {@code tasks} files. For a thread
     * moving itself the kernel skips the global threadgroup lock, whose write side (every pid written to {@code
     * cgroup.procs}) waits an RCU grace period: 8-20 ms per create and per exec on this machine kind. Empty where
     * the process must be moved by pid (v2: {@code cgroup.threads} cannot cross a domain).
     */
    default List<Path> joinFiles() {
        return List.of();
    }

    /**
     * Writes every limit {@code resources} asks for; null fields are left as they are. Creates the directories if
     * they do not exist yet. A limit for a controller that is not available is an error, never silently dropped.
     */
    void set(LinuxResources resources);

    /** Freezes every process in the cgroup and returns once the kernel reports the cgroup frozen. */
    void freeze();

    /** Thaws the cgroup and returns once the kernel reports it thawed. */
    void thaw();

    /** The stable freezer state, waiting out a transition in progress; THAWED where no freezer is available. */
    FreezerState freezerState();

    /** Every pid in the cgroup and its descendant cgroups. */
    List<Long> pids();

    /** Current usage and limits. */
    CgroupStats stats();

    /** How many times the kernel's OOM killer killed a process in this cgroup. */
    long oomKillCount();

    /**
     * Removes the cgroup's directories (and descendant cgroups) in every hierarchy. Kills nothing: the caller kills
     * first. Directories that are already gone are fine; one that stays busy is an error.
     */
    void destroy();

    /** Whether any of the cgroup's directories exists. */
    boolean exists();

    /** The hierarchies the cgroup lives in, for binding its directories into the container's {@code /sys/fs/cgroup}. */
    List<Hierarchy> hierarchies();

    /**
     * The saved form, for the runtime's state file and {@link Cgroups#load}: controller name to absolute host
     * directory, as runc's {@code cgroup_paths}. See the package documentation.
     */
    Map<String, String> paths();
}
