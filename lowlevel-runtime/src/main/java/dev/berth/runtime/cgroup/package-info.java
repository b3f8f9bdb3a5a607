/**
 * Container cgroups: the {@link dev.berth.runtime.cgroup.Cgroup} seam, chosen once by
 * {@link dev.berth.runtime.cgroup.Cgroups} between {@code cgroup.v1} (one directory per mounted hierarchy) and
 * {@code cgroup.v2} (one directory in the unified hierarchy), each with one class per controller.
 *
 * <h2>Vocabulary</h2>
 * A <em>hierarchy</em> is one mounted cgroup tree ({@code /sys/fs/cgroup/memory}, or a combined mount such as
 * {@code cpu,cpuacct}); a <em>controller</em> is a kernel subsystem (memory, cpu, …); the container's
 * <em>cgroup</em> is its directory in each hierarchy. {@code cgroupsPath} follows runc's cgroupfs driver: absolute
 * is relative to each hierarchy's mount point, relative (and empty, meaning the container id) is relative to the
 * calling process's own cgroup (v1) or to its parent (v2).
 *
 * <h2>Saved form</h2>
 * {@link dev.berth.runtime.cgroup.Cgroup#paths()} is what the runtime stores in its state file and hands back to
 * {@link dev.berth.runtime.cgroup.Cgroups#load}: a {@code Map<String, String>} from controller name to absolute host
 * directory, the shape of runc's {@code cgroup_paths}:
 * <pre>
 * v1: {"cpu": "/sys/fs/cgroup/cpu/c1", "cpuacct": "/sys/fs/cgroup/cpuacct/c1", "memory": "/sys/fs/cgroup/memory/c1",
 *      "name=systemd": "/sys/fs/cgroup/systemd/c1", ...}     (a combined cpu,cpuacct mount: both keys, same dir)
 * v2: {"": "/sys/fs/cgroup/c1"}
 * </pre>
 */
package dev.berth.runtime.cgroup;
