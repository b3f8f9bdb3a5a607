package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.RuncDeviation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A container without a mount namespace: it shares the host's mount table, so it is only chrooted into its rootfs
 * (runtime-tools' linux_ns_itype found it started in the host's root). The host's mounts must stay as they were:
 * the bundles here ask for no mount, and a bundle that does is refused.
 */
class NoMountNamespaceTest extends ContainerTest {

    /** No mount namespace, no mounts, no masked or read-only paths, a writable root. */
    private Bundle hostMountTable() {
        Bundle b = newBundle().withoutNamespace("mount").rootReadonly(false);
        ((List<?>) b.spec().get("mounts")).clear();
        b.linux().put("maskedPaths", new ArrayList<>());
        b.linux().put("readonlyPaths", new ArrayList<>());
        return b;
    }

    /** The mountinfo line of the host's {@code /}: its optional fields say its propagation. */
    private static String hostRootMount() throws IOException {
        return mountLine(Files.readString(Path.of("/proc/self/mountinfo")), "/");
    }

    @Test
    void withoutMountNamespace_processIsChrootedAndTheHostsMountsStayAsTheyWere() throws IOException {
        RuncDeviation.MOUNTS_ON_THE_HOST_WITHOUT_MOUNT_NAMESPACE.assumeNotApplicable();
        String before = hostRootMount();
        Bundle b = hostMountTable();
        Files.writeString(b.rootfs().resolve("marker"), "the bundle's rootfs\n");
        // no /proc is mounted: the probe uses nothing but the rootfs
        String out = probe(b, "cat /marker; test -e /proc/self || echo no-proc; test -c /dev/null && echo dev");
        assertEquals("the bundle's rootfs\nno-proc\ndev\n", out);
        assertEquals(before, hostRootMount(), "the host's / (its propagation) is unchanged");
        // the temp root's mounts are checked after every test (ContainerTest)
    }

    @Test
    void withoutMountNamespace_execIsChrootedLikeTheInit() throws IOException {
        RuncDeviation.MOUNTS_ON_THE_HOST_WITHOUT_MOUNT_NAMESPACE.assumeNotApplicable();
        Bundle b = hostMountTable().args("sleep", "30");
        Files.writeString(b.rootfs().resolve("marker"), "the bundle's rootfs\n");
        String id = newId();
        runtime.createAndStart(id, b);
        assertEquals("the bundle's rootfs\n", runtime.execIn(id, "cat", "/marker").assertSuccess().stdout());
    }

    @Test
    void withoutMountNamespace_aSpecThatMounts_isRefusedBeforeMountingAnything() {
        RuncDeviation.MOUNTS_ON_THE_HOST_WITHOUT_MOUNT_NAMESPACE.assumeNotApplicable();
        Bundle b = hostMountTable().mount("/proc", "proc", "proc");
        CliResult r = runtime.create(newId(), b);
        assertTrue(!r.succeeded() && r.output().contains("mount proc to /proc: unable to mount without a private MNT"
                + " namespace"), r.toString());
    }

    @Test
    void withoutMountNamespace_maskedPaths_areRefusedWithRuncsWords() {
        // runc refuses this one too, before it mounts anything: safe against both
        CliResult r = runtime.create(newId(), newBundle().withoutNamespace("mount"));
        assertTrue(!r.succeeded() && r.output().contains("unable to restrict sys entries without a private MNT"
                + " namespace"), r.toString());
    }
}
