package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.namespace.NamespaceKind;
import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.rootfs.RootfsPlan;
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
        RootfsPlan fs = new RootfsPlan("/b/rootfs", 0, List.of(new RootfsPlan.MountStep("proc", "/proc", "proc", 0, "",
                0, false)), List.of("/proc/kcore"), List.of("/proc/sys"), true, 0);
        return new ContainerSetup(ns, fs, process, "box", null, Map.of("kernel.x", "1"), "", "/s/exec.fifo",
                List.of(), List.of(), false, true, "c1", 0);
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
                InitPlan.Op.READY, InitPlan.Op.WAIT_FIFO, InitPlan.Op.SECCOMP, InitPlan.Op.EXEC), ops);
    }

    @Test
    void forCreate_withoutNoNewPrivs_installsSeccompBeforeTheIdentityChange() {
        List<InitPlan.Op> ops = ops(PlanBuilder.forCreate(setup(process(false, true))));
        assertTrue(ops.indexOf(InitPlan.Op.SECCOMP) < ops.indexOf(InitPlan.Op.IDENTITY), ops.toString());
        assertEquals(1, ops.stream().filter(o -> o == InitPlan.Op.SECCOMP).count());
    }

    @Test
    void forExec_joinsNamespacesAndNeverTouchesMountsOrTheFifo() {
        NamespacePlan joins = NamespacePlan.forExec(Map.of(NamespaceKind.USER, "", NamespaceKind.NETWORK, ""), 42);
        List<InitPlan.Op> ops = ops(PlanBuilder.forExec(joins, process(false, false), 0));
        assertEquals(List.of(InitPlan.Op.FD_CLOEXEC_FROM, InitPlan.Op.OOM_SCORE_ADJ, InitPlan.Op.SETNS,
                InitPlan.Op.SETNS, InitPlan.Op.CLONE, InitPlan.Op.RLIMIT, InitPlan.Op.IDENTITY, InitPlan.Op.CWD,
                InitPlan.Op.ENV, InitPlan.Op.DEFAULT_HOME, InitPlan.Op.RESOLVE_EXEC, InitPlan.Op.READY,
                InitPlan.Op.EXEC), ops);
        // the user namespace is joined last, after the namespaces it does not own
        assertEquals("/proc/42/ns/user", joins.joins().getLast().path());
    }
}
