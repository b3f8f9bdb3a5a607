package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.namespace.NamespaceKind;
import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.rootfs.RootfsPlan;
import dev.berth.runtime.spec.Spec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanBuilderTest {
    private static ProcessSetup process(boolean noNewPrivileges, boolean seccomp) {
        return new ProcessSetup(List.of("sh"), List.of("PATH=/bin"), "/", 0, 0, List.of(), null,
                new CapabilitySets(1, 1, 1, 0, 0), List.of(new ProcessSetup.Rlimit(7, 1024, 1024)), noNewPrivileges,
                100L, null, seccomp ? new ProcessSetup.SeccompProgram(0, new byte[8]) : null, false, 0, 0);
    }

    private static ContainerSetup setup(ProcessSetup process) {
        NamespacePlan ns = new NamespacePlan(List.of(), NamespaceKind.MOUNT.cloneFlag() | NamespaceKind.PID.cloneFlag(),
                false, "", "", Map.of(NamespaceKind.MOUNT, "", NamespaceKind.PID, ""));
        return setup(ns, process, fullRootfs());
    }

    private static RootfsPlan fullRootfs() {
        return new RootfsPlan("/b/rootfs", 0, List.of(new RootfsPlan.MountStep("proc", "/proc", "proc", 0, "",
                0, false)), List.of("/proc/kcore"), List.of("/proc/sys"), true, 0);
    }

    private static ContainerSetup setup(NamespacePlan ns, ProcessSetup process, RootfsPlan fs) {
        return setup(ns, process, fs, List.of());
    }

    private static ContainerSetup setup(NamespacePlan ns, ProcessSetup process, RootfsPlan fs,
                                        List<Spec.Hook> startContainer) {
        return new ContainerSetup(ns, fs, process, "box", null, Map.of("kernel.x", "1"), "", "/s/exec.fifo",
                List.of(), startContainer, false, true, "c1", 0);
    }

    private static List<InitPlan.Op> ops(InitPlan plan) {
        return plan.steps().stream().map(InitPlan.Step::op).toList();
    }

    @Test
    void forCreate_ordersStepsAsTheProtocolDocumentSays() {
        List<InitPlan.Op> ops = ops(PlanBuilder.forCreate(setup(process(true, true))));
        assertEquals(List.of(InitPlan.Op.FD_CLOEXEC_FROM, InitPlan.Op.OOM_SCORE_ADJ, InitPlan.Op.EXEC_FIFO_OPEN,
                InitPlan.Op.CLONE, InitPlan.Op.SETSID, InitPlan.Op.SESSION_KEYRING, InitPlan.Op.HOSTNAME, InitPlan.Op.ROOTFS, InitPlan.Op.MOUNT,
                InitPlan.Op.MKDIR, InitPlan.Op.HOOKS,
                InitPlan.Op.PIVOT, InitPlan.Op.SYSCTL, InitPlan.Op.MASK, InitPlan.Op.READONLY,
                InitPlan.Op.ROOT_READONLY, InitPlan.Op.RLIMIT, InitPlan.Op.IDENTITY, InitPlan.Op.CWD,
                InitPlan.Op.NO_NEW_PRIVS, InitPlan.Op.ENV, InitPlan.Op.DEFAULT_HOME, InitPlan.Op.RESOLVE_EXEC,
                InitPlan.Op.READY, InitPlan.Op.WAIT_FIFO, InitPlan.Op.START_SIGNAL, InitPlan.Op.SECCOMP, InitPlan.Op.EXEC),
                ops);
    }

    /** P joins the cgroups itself first: with the host's paths, before any setns, and before CLONE. */
    @Test
    void forCreateAndExec_withCgroupJoins_joinRightAfterClosingTheJvmsFds() {
        List<String> tasks = List.of("/sys/fs/cgroup/cpu/ns/c1/tasks", "/sys/fs/cgroup/memory/ns/c1/tasks");
        List<InitPlan.Step> create = PlanBuilder.forCreate(setup(process(true, true)), tasks).steps();
        NamespacePlan joins = NamespacePlan.forExec(Map.of(NamespaceKind.NETWORK, ""), 42);
        List<InitPlan.Step> exec = PlanBuilder.forExec(joins, 42, process(false, false), 0, tasks).steps();
        for (List<InitPlan.Step> steps : List.of(create, exec)) {
            assertEquals(List.of(InitPlan.Op.FD_CLOEXEC_FROM, InitPlan.Op.CGROUP_JOIN, InitPlan.Op.CGROUP_JOIN,
                    InitPlan.Op.OOM_SCORE_ADJ), steps.subList(0, 4).stream().map(InitPlan.Step::op).toList());
            assertEquals(List.of(tasks.get(0)), steps.get(1).fields());
            assertEquals(List.of(tasks.get(1)), steps.get(2).fields());
        }
    }

    @Test
    void forCreate_startContainerHooks_runAfterStartOpenedTheFifoAndBeforeTheStartSignal() {
        NamespacePlan ns = new NamespacePlan(List.of(), NamespaceKind.MOUNT.cloneFlag(), false, "", "",
                Map.of(NamespaceKind.MOUNT, ""));
        List<Spec.Hook> hooks = List.of(new Spec.Hook("/bin/one", List.of(), List.of(), null),
                new Spec.Hook("/bin/two", List.of(), List.of(), 5L));
        List<InitPlan.Step> steps = PlanBuilder.forCreate(setup(ns, process(true, true), fullRootfs(), hooks))
                .steps();
        List<InitPlan.Op> ops = steps.stream().map(InitPlan.Step::op).toList();
        // start returns (and runs poststart) once it read the signal: the hooks have run by then
        int waitFifo = ops.indexOf(InitPlan.Op.WAIT_FIFO);
        assertEquals(List.of(InitPlan.Op.WAIT_FIFO, InitPlan.Op.RUN_HOOK, InitPlan.Op.RUN_HOOK,
                InitPlan.Op.START_SIGNAL, InitPlan.Op.SECCOMP, InitPlan.Op.EXEC), ops.subList(waitFifo, ops.size()));
        assertEquals(List.of("startContainer", "/bin/one", 0L, 1L, "/bin/one"), steps.get(waitFifo + 1).fields());
        assertEquals(List.of("startContainer", "/bin/two", 5L, 1L, "/bin/two"), steps.get(waitFifo + 2).fields());
        assertEquals(1, ops.stream().filter(o -> o == InitPlan.Op.START_SIGNAL).count());
    }

    @Test
    void forCreate_withoutNoNewPrivs_installsSeccompBeforeTheIdentityChange() {
        List<InitPlan.Op> ops = ops(PlanBuilder.forCreate(setup(process(false, true))));
        assertTrue(ops.indexOf(InitPlan.Op.SECCOMP) < ops.indexOf(InitPlan.Op.IDENTITY), ops.toString());
        assertEquals(1, ops.stream().filter(o -> o == InitPlan.Op.SECCOMP).count());
    }

    @Test
    void forExec_joinsNamespacesAndNeverTouchesMountsOrTheFifo() {
        NamespacePlan joins = NamespacePlan.forExec(Map.of(NamespaceKind.USER, "", NamespaceKind.NETWORK,
                "", NamespaceKind.MOUNT, ""), 42);
        List<InitPlan.Op> ops = ops(PlanBuilder.forExec(joins, 42, process(false, false), 0));
        assertEquals(List.of(InitPlan.Op.FD_CLOEXEC_FROM, InitPlan.Op.OOM_SCORE_ADJ, InitPlan.Op.SETNS,
                InitPlan.Op.SETNS, InitPlan.Op.SETNS, InitPlan.Op.CLONE, InitPlan.Op.RLIMIT, InitPlan.Op.IDENTITY,
                InitPlan.Op.CWD,
                InitPlan.Op.ENV, InitPlan.Op.DEFAULT_HOME, InitPlan.Op.RESOLVE_EXEC, InitPlan.Op.READY,
                InitPlan.Op.EXEC), ops);
        // the user namespace is joined last, after the namespaces it does not own
        assertEquals("/proc/42/ns/user", joins.joins().getLast().path());
    }

    @Test
    void forCreate_joinedMountNamespace_setsUpTheRootfsInsideItAndPivots() {
        NamespacePlan ns = new NamespacePlan(List.of(new NamespacePlan.Join(NamespaceKind.MOUNT, "/proc/7/ns/mnt")),
                0, false, "", "", Map.of(NamespaceKind.MOUNT, "/proc/7/ns/mnt"));
        List<InitPlan.Op> ops = ops(PlanBuilder.forCreate(setup(ns, process(true, false), fullRootfs())));
        // the fifo is opened before the host's state directory may be hidden by the joined namespace
        assertTrue(ops.indexOf(InitPlan.Op.EXEC_FIFO_OPEN) < ops.indexOf(InitPlan.Op.SETNS), ops.toString());
        for (InitPlan.Op op : List.of(InitPlan.Op.ROOTFS, InitPlan.Op.MOUNT, InitPlan.Op.MKDIR, InitPlan.Op.PIVOT,
                InitPlan.Op.MASK, InitPlan.Op.READONLY, InitPlan.Op.ROOT_READONLY)) {
            assertTrue(ops.contains(op), op + " missing in " + ops);
        }
        assertTrue(!ops.contains(InitPlan.Op.CHROOT), ops.toString());
    }

    @Test
    void forCreate_withoutMountNamespace_chrootsAndMountsNothing() {
        NamespacePlan ns = new NamespacePlan(List.of(), NamespaceKind.PID.cloneFlag(), false, "", "",
                Map.of(NamespaceKind.PID, ""));
        RootfsPlan fs = new RootfsPlan("/b/rootfs", 0, List.of(new RootfsPlan.DeviceStep("/dev/null",
                RootfsPlan.S_IFCHR, 1, 3, 0666, 0, 0), new RootfsPlan.SymlinkStep("/proc/self/fd", "/dev/fd")),
                List.of(), List.of(), false, 0).withoutMountNamespace(false);
        List<InitPlan.Op> ops = ops(PlanBuilder.forCreate(setup(ns, process(true, false), fs)));
        assertEquals(List.of(InitPlan.Op.ROOTFS_DIR, InitPlan.Op.MKNOD, InitPlan.Op.SYMLINK, InitPlan.Op.MKDIR,
                        InitPlan.Op.HOOKS, InitPlan.Op.CHROOT, InitPlan.Op.SYSCTL, InitPlan.Op.RLIMIT),
                ops.subList(ops.indexOf(InitPlan.Op.ROOTFS_DIR), ops.indexOf(InitPlan.Op.RLIMIT) + 1));
        for (InitPlan.Op op : List.of(InitPlan.Op.ROOTFS, InitPlan.Op.MOUNT, InitPlan.Op.PIVOT, InitPlan.Op.MASK,
                InitPlan.Op.READONLY, InitPlan.Op.ROOT_PROPAGATION, InitPlan.Op.ROOT_READONLY)) {
            assertTrue(!ops.contains(op), op + " in " + ops);
        }
    }

    @Test
    void forCreate_withoutNoNewPrivs_verifiesTheCwdBeforeTheFilterThatMayDenyGetcwd() {
        List<InitPlan.Step> steps = PlanBuilder.forCreate(setup(process(false, true))).steps();
        List<InitPlan.Op> ops = steps.stream().map(InitPlan.Step::op).toList();
        int seccomp = ops.indexOf(InitPlan.Op.SECCOMP);
        assertEquals(InitPlan.Op.CWD, ops.get(seccomp - 1), ops.toString());
        assertEquals(List.of("/", 1L), steps.get(seccomp - 1).fields());
        // entered again as the process's user, without a getcwd the filter may deny
        assertEquals(List.of("/", 0L), steps.get(ops.lastIndexOf(InitPlan.Op.CWD)).fields());
    }

    @Test
    void forCreate_withNoNewPrivs_verifiesTheCwdOnceAfterTheIdentityChange() {
        List<InitPlan.Step> steps = PlanBuilder.forCreate(setup(process(true, true))).steps();
        List<InitPlan.Step> cwds = steps.stream().filter(s -> s.op() == InitPlan.Op.CWD).toList();
        assertEquals(List.of(new InitPlan.Step(InitPlan.Op.CWD, List.of("/", 1L))), cwds);
    }

    @Test
    void forExec_containerWithoutMountNamespace_isChrootedIntoTheInitsRoot() {
        NamespacePlan joins = NamespacePlan.forExec(Map.of(NamespaceKind.PID, ""), 42);
        List<InitPlan.Step> steps = PlanBuilder.forExec(joins, 42, process(true, false), 0).steps();
        List<InitPlan.Op> ops = steps.stream().map(InitPlan.Step::op).toList();
        int clone = ops.indexOf(InitPlan.Op.CLONE);
        assertEquals(List.of(InitPlan.Op.ROOTFS_DIR, InitPlan.Op.CHROOT), ops.subList(clone + 1, clone + 3));
        assertEquals(List.of("/proc/42/root"), steps.get(clone + 1).fields());
    }
}
