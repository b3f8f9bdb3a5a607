package dev.berth.runtime.process;

import dev.berth.runtime.namespace.NamespaceKind;
import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.rootfs.RootfsPlan;
import dev.berth.runtime.spec.Spec;
import java.util.List;

/** Orders the steps of an init plan for a new container or for a process joining one (docs/init-protocol.md). */
public final class PlanBuilder {
    private PlanBuilder() {}

    /**
     * The plan that creates a container: namespaces, filesystem, process, then the wait on exec.fifo. The
     * startContainer hooks run between the fifo's open (start has been called) and the start signal, so that start,
     * which reads the fifo up to EOF, returns after them and runs the poststart hooks after them (runtime spec,
     * lifecycle steps 7 to 10); a failing one reaches start through the fifo.
     */
    public static InitPlan forCreate(ContainerSetup c) {
        return forCreate(c, List.of());
    }

    /**
     * As {@link #forCreate(ContainerSetup)}, with P joining the container's cgroups itself first ({@code
     * cgroupJoins}: the cgroup v1 {@code tasks} files, {@code Cgroup.joinFiles}), before any setns (the paths are
     * the host's) and before CLONE (C inherits them).
     */
    public static InitPlan forCreate(ContainerSetup c, List<String> cgroupJoins) {
        InitPlan plan = new InitPlan();
        plan.fdCloexecFrom(ParentProcess.syncFd(c.preserveFds()));
        cgroupJoins.forEach(plan::cgroupJoin);
        // before any setns: in a joined mount namespace /proc/self no longer resolves for P
        if (c.process().oomScoreAdj() != null) {
            plan.oomScoreAdj(c.process().oomScoreAdj());
        }
        // P opens the fifo while it still sees the host's state directory, before a joined mount namespace hides it,
        // and while it is root in the host's user namespace; C inherits the fd
        plan.execFifoOpen(c.execFifo());
        NamespacePlan ns = c.namespaces();
        for (NamespacePlan.Join join : ns.joins()) {
            plan.setns(join.kind().cloneFlag(), join.path());
        }
        if (ns.newTimeNamespace()) {
            plan.unshareTime(c.timeOffsets());
        }
        plan.cloneProcess(ns.cloneFlags(), ns.uidMap(), ns.gidMap(), "");

        plan.setsid();
        if (c.newKeyring()) {
            plan.sessionKeyring("_ses." + c.id());
        }
        if (c.hostname() != null && !c.hostname().isEmpty()) {
            plan.hostname(c.hostname());
        }
        if (c.domainname() != null && !c.domainname().isEmpty()) {
            plan.domainname(c.domainname());
        }
        RootfsPlan fs = c.rootfs();
        // runc's prepareRootfs: the rootfs is set up in the container's mount namespace whether it is new or joined
        // by path; without one (the host's mount table, shared) nothing is mounted and the process is chrooted
        boolean mountNs = ns.has(NamespaceKind.MOUNT);
        if (mountNs) {
            plan.rootfs(fs.rootfs(), fs.initialPropagation());
        } else {
            plan.rootfsDir(fs.rootfs());
        }
        for (RootfsPlan.Step step : fs.steps()) {
            // instanceof, not a pattern switch: each pattern switch spins a class at run time that the AOT cache
            // cannot keep, a few milliseconds of every CLI start
            if (step instanceof RootfsPlan.MountStep m) {
                plan.mount(m.source(), m.destination(), m.type(), m.flags(), m.data(), m.propagation(),
                        m.fileTarget());
            } else if (step instanceof RootfsPlan.DeviceStep d) {
                plan.mknod(d.path(), d.fileType(), d.major(), d.minor(), d.mode(), d.uid(), d.gid());
            } else if (step instanceof RootfsPlan.BindDeviceStep b) {
                plan.bindDevice(b.path());
            } else if (step instanceof RootfsPlan.SymlinkStep s) {
                plan.symlink(s.target(), s.linkPath());
            }
        }
        // runc creates a missing working directory
        plan.mkdir(c.process().cwd());
        plan.hooks();
        addHooks(plan, "createContainer", c.createContainerHooks());
        if (mountNs) {
            plan.pivot(c.noPivot());
        } else {
            plan.chroot();
        }
        // sysctls first: /proc/sys is usually among the read-only paths
        c.sysctl().forEach(plan::sysctl);
        // without a mount namespace the plan has none of these (RootfsPlan.withoutMountNamespace)
        fs.maskedPaths().forEach(plan::mask);
        fs.readonlyPaths().forEach(plan::readonly);
        if (fs.finalPropagation() != 0) {
            plan.rootPropagation(fs.finalPropagation());
        }
        if (fs.readonlyRoot()) {
            plan.rootReadonly();
        }
        addProcess(plan, c.process(), c.preserveFds(), true);
        plan.waitFifo();
        addHooks(plan, "startContainer", c.startContainerHooks());
        plan.startSignal();
        finish(plan, c.process());
        return plan;
    }

    /**
     * The plan for {@code exec}: join the container's namespaces and start one more process in them; in a container
     * without a mount namespace of its own, also its root ({@code /proc/<init>/root}), as its init was chrooted.
     */
    public static InitPlan forExec(NamespacePlan joins, int initPid, ProcessSetup process, int preserveFds) {
        return forExec(joins, initPid, process, preserveFds, List.of());
    }

    /** As {@link #forExec(NamespacePlan, int, ProcessSetup, int)}, with P joining the cgroups first (as create). */
    public static InitPlan forExec(NamespacePlan joins, int initPid, ProcessSetup process, int preserveFds,
                                   List<String> cgroupJoins) {
        InitPlan plan = new InitPlan();
        plan.fdCloexecFrom(ParentProcess.syncFd(preserveFds));
        cgroupJoins.forEach(plan::cgroupJoin);
        if (process.oomScoreAdj() != null) {
            plan.oomScoreAdj(process.oomScoreAdj());
        }
        for (NamespacePlan.Join join : joins.joins()) {
            plan.setns(join.kind().cloneFlag(), join.path());
        }
        plan.cloneProcess(0, "", "", "");
        if (!joins.has(NamespaceKind.MOUNT)) {
            plan.rootfsDir("/proc/" + initPid + "/root");
            plan.chroot();
        }
        if (process.terminal()) {
            plan.setsid();
        }
        addProcess(plan, process, preserveFds, false);
        finish(plan, process);
        return plan;
    }

    private static void addProcess(InitPlan plan, ProcessSetup p, int preserveFds, boolean init) {
        if (p.terminal()) {
            plan.console(ParentProcess.consoleFd(preserveFds), p.consoleRows(), p.consoleCols(), p.uid(), p.gid());
        }
        for (ProcessSetup.Rlimit r : p.rlimits()) {
            plan.rlimit(r.resource(), r.soft(), r.hard());
        }
        if (init && p.personality() != null) {
            plan.personality(p.personality());
        }
        if (p.umask() != null) {
            plan.umask(p.umask());
        }
        // Without no_new_privs, installing a filter needs CAP_SYS_ADMIN, which the identity change may drop:
        // install it first, as runc does; the profile must then allow the remaining set-up calls. The cwd is
        // verified before the filter (a profile may deny getcwd, which the check needs) and entered again as the
        // process's user after the identity change, without the check: the same path resolves the same way.
        boolean earlySeccomp = p.seccomp() != null && !p.noNewPrivileges();
        if (earlySeccomp) {
            plan.cwd(p.cwd(), true);
            plan.seccomp(p.seccomp().flags(), p.seccomp().program());
        }
        plan.identity(p.uid(), p.gid(), p.capabilities(), p.additionalGids());
        plan.cwd(p.cwd(), !earlySeccomp);
        if (p.noNewPrivileges()) {
            plan.noNewPrivs();
        }
        plan.env(p.env());
        plan.defaultHome(p.uid());
        plan.resolveExec(p.args().getFirst());
        plan.ready();
    }

    private static void finish(InitPlan plan, ProcessSetup p) {
        if (p.seccomp() != null && p.noNewPrivileges()) {
            plan.seccomp(p.seccomp().flags(), p.seccomp().program());
        }
        plan.exec(p.args());
    }

    private static void addHooks(InitPlan plan, String phase, List<Spec.Hook> hooks) {
        for (Spec.Hook h : hooks) {
            List<String> args = h.args().isEmpty() ? List.of(h.path()) : h.args();
            plan.runHook(phase, h.path(), h.timeout() == null ? 0 : h.timeout(), args, h.env());
        }
    }
}
