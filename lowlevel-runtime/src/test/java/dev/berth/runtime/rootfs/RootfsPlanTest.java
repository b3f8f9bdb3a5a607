package dev.berth.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.runtime.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootfsPlanTest {
    private static final RootfsPlan.Step NULL_DEVICE =
            new RootfsPlan.DeviceStep("/dev/null", RootfsPlan.S_IFCHR, 1, 3, 0666, 0, 0);

    private static RootfsPlan plan(List<RootfsPlan.Step> steps, List<String> masked, boolean readonlyRoot,
                                   long propagation) {
        return new RootfsPlan("/b/rootfs", 0, steps, masked, List.of(), readonlyRoot, propagation);
    }

    private static String refusal(RootfsPlan plan, boolean noPivot) {
        return assertThrows(SpecException.class, () -> plan.withoutMountNamespace(noPivot)).getMessage();
    }

    @Test
    void withoutMountNamespace_devicesAndSymlinksOnly_isKept() {
        RootfsPlan p = plan(List.of(NULL_DEVICE, new RootfsPlan.SymlinkStep("pts/ptmx", "/dev/ptmx")), List.of(),
                false, 0);
        assertSame(p, p.withoutMountNamespace(false));
    }

    @Test
    void withoutMountNamespace_anythingThatWouldMountOnTheHost_isRefused() {
        assertEquals("mount proc to /proc: unable to mount without a private MNT namespace", refusal(plan(List.of(
                new RootfsPlan.MountStep("proc", "/proc", "proc", 0, "", 0, false)), List.of(), false, 0), false));
        assertEquals("unable to restrict sys entries without a private MNT namespace",
                refusal(plan(List.of(), List.of("/proc/kcore"), false, 0), false));
        assertEquals("root.readonly: unable to make the rootfs read-only without a private MNT namespace",
                refusal(plan(List.of(), List.of(), true, 0), false));
        assertEquals("linux.rootfsPropagation: unable to set the rootfs propagation without a private MNT namespace",
                refusal(plan(List.of(), List.of(), false, MountFlags.PRIVATE), false));
        assertEquals("device /dev/null: unable to bind-mount a device without a private MNT namespace",
                refusal(plan(List.of(new RootfsPlan.BindDeviceStep("/dev/null")), List.of(), false, 0), false));
        assertEquals("unable to use no-pivot without a private MNT namespace",
                refusal(plan(List.of(), List.of(), false, 0), true));
    }
}
