package dev.berth.manager.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.sys.Errno;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.MountSyscalls;
import dev.berth.sys.RelativeMountData;
import dev.berth.sys.SyscallException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Images of many layers (issue 10, defect 4): an overlay of one snapshot per layer names every layer's directory in
 * its options, which pass the kernel's one page past about 67 layers at berthd's real paths. Unpacked here through
 * the overlay snapshotter and the differ, each layer adding one file, under a root as deep as {@code
 * /var/lib/berth}'s; the view of the top must show every layer's file.
 */
class OverlayDepthTest {
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path temp;
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    private final SyscallMounter mounter = new SyscallMounter(sys);

    /** A refusal test that fails because the mount went through must not leave the mount behind. */
    @AfterEach
    void unmountWhatARegressionMounted() {
        try {
            sys.unmount(temp.resolve("refused").toString(), 2 /* MNT_DETACH */);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {75, 127})
    void unpackAndView_manyLayers_everyLayerIsThere(int layers) throws IOException {
        LayerApplier applier = new LayerApplier(sys, mounter, temp.resolve("scratch"));
        Path root = temp.resolve("var/lib/berth/io.containerd.snapshotter.v1.overlayfs");
        try (OverlaySnapshotter snapshots = OverlaySnapshotter.open(root)) {
            String parent = "";
            for (int i = 0; i < layers; i++) {
                int n = i;
                byte[] tar = TestLayers.tar(b -> b.file("layer-" + n, Integer.toString(n)));
                applier.apply(new ByteArrayInputStream(tar), TAR, snapshots.prepare("active-" + i, parent, Map.of()),
                        false);
                snapshots.commit("layer-" + i, "active-" + i, Map.of());
                parent = "layer-" + i;
            }
            List<Mount> view = snapshots.view("view", parent, Map.of());
            assertTrue(String.join(",", view.getFirst().options()).length() > MountSyscalls.MOUNT_DATA_MAX,
                    "the options should pass a page, or this would not test the limit");
            Path target = Files.createDirectory(temp.resolve("target"));
            mounter.mount(view, target);
            try {
                for (int i = 0; i < layers; i++) {
                    assertEquals(Integer.toString(i), Files.readString(target.resolve("layer-" + i)), "layer " + i);
                }
                try (Stream<Path> files = Files.list(target)) {
                    assertEquals(layers, files.count());
                }
            } finally {
                mounter.unmount(target);
            }
        }
    }

    @Test
    void mount_moreLowerDirectoriesThanOverlayStacks_isRefusedNamingTheCount() throws IOException {
        List<String> lowers = new ArrayList<>();
        for (int i = 0; i < MountSyscalls.OVERLAY_MAX_LOWER + 1; i++) {
            lowers.add(Files.createDirectories(temp.resolve("s/" + i + "/fs")).toString());
        }
        Path refused = Files.createDirectory(temp.resolve("refused"));
        BerthException e = assertThrows(BerthException.class, () -> mounter.mount(List.of(new Mount("overlay",
                "overlay", List.of("lowerdir=" + String.join(":", lowers)))), refused));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("with 501 lower directories") && e.getMessage().contains("at most 500"),
                e.getMessage());
    }

    @Test
    void mount_optionsTooLongEvenRelative_isRefusedNotCut() throws IOException {
        List<String> lowers = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            lowers.add(Files.createDirectories(temp.resolve("s/" + "x".repeat(60) + i)).toString());
        }
        Path refused = Files.createDirectory(temp.resolve("refused"));
        BerthException e = assertThrows(BerthException.class, () -> mounter.mount(List.of(new Mount("overlay",
                "overlay", List.of("lowerdir=" + String.join(":", lowers)))), refused));
        assertTrue(e.getMessage().contains("with 80 lower directories")
                && e.getMessage().contains("even with paths relative to " + temp.resolve("s")), e.getMessage());
    }

    @Test
    void relativeMountData_pathsRelativeToTheirCommonParent_otherOptionsKept() {
        RelativeMountData r = RelativeMountData.of(
                "workdir=/a/s/3/work,upperdir=/a/s/3/fs,lowerdir=/a/s/2/fs:/a/s/1/fs,index=off");
        assertEquals(Optional.of(Path.of("/a/s")), r.dir());
        assertEquals("workdir=3/work,upperdir=3/fs,lowerdir=2/fs:1/fs,index=off", r.data());
        assertEquals(2, r.lowerCount());
        assertEquals(Optional.empty(), RelativeMountData.of("lowerdir=rel/a:/b").dir());
    }
}
