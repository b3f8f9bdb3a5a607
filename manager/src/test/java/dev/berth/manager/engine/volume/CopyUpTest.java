package dev.berth.manager.engine.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker's copy-up: an empty volume takes the image's content at its destination, faithfully, once. */
class CopyUpTest extends VolumeTestBase {
    static final dev.berth.sys.LinuxSyscalls SYS = VolumeFixture.SYS;
    Path image;

    @BeforeEach
    void image() throws IOException {
        image = Files.createDirectories(f.rootfs.resolve("srv/data"));
        Files.writeString(image.resolve("conf"), "image content");
        SYS.lchown(image.resolve("conf").toString(), 1234, 5678);
        SYS.chmod(image.resolve("conf").toString(), 04750); // after chown, which clears set-id bits
        Files.createDirectories(image.resolve("sub"));
        SYS.chmod(image.resolve("sub").toString(), 01777);
        Files.createSymbolicLink(image.resolve("link"), Path.of("../../etc/passwd"));
        SYS.lchown(image.resolve("link").toString(), 42, 43);
        SYS.lsetxattr(image.resolve("conf").toString(), "user.berth", "x1".getBytes(StandardCharsets.UTF_8));
        SYS.lchown(image.toString(), 999, 998);
        SYS.chmod(image.toString(), 0750);
    }

    ContainerMount resolve(HostConfig host) throws IOException {
        return f.volumes.resolve("default", "c1", ContainerConfig.EMPTY, host, f.rootfs, f.volumesFrom())
                .getFirst();
    }

    ContainerMount resolve(String bind) throws IOException {
        return resolve(HostConfig.EMPTY.toBuilder().binds(List.of(bind)).build());
    }

    @Test
    void emptyNamedVolume_takesTheImagesContentModesOwnersLinksAndXattrs() throws IOException {
        Path data = Path.of(resolve("vol:/srv/data").source());
        assertEquals("image content", Files.readString(data.resolve("conf")));
        FileStat conf = FileStat.lstat(data.resolve("conf"));
        assertEquals(04750, conf.mode());
        assertEquals(1234, conf.uid());
        assertEquals(5678, conf.gid());
        assertEquals(01777, FileStat.lstat(data.resolve("sub")).mode());
        FileStat link = FileStat.lstat(data.resolve("link"));
        assertEquals(FileType.SYMLINK, link.type());
        assertEquals(42, link.uid());
        assertEquals(Path.of("../../etc/passwd"), Files.readSymbolicLink(data.resolve("link")));
        assertArrayEquals("x1".getBytes(StandardCharsets.UTF_8),
                SYS.lgetxattr(data.resolve("conf").toString(), "user.berth").orElseThrow());
        FileStat root = FileStat.lstat(data);
        assertEquals(0750, root.mode()); // the volume's root takes the image directory's mode and owner
        assertEquals(999, root.uid());
        assertEquals(998, root.gid());
        assertFalse(Files.exists(data.resolveSibling(".copy-up")));
    }

    @Test
    void anonymousAndImageVolumes_areCopiedUpToo() throws IOException {
        Path anon = Path.of(resolve("/srv/data").source());
        assertTrue(Files.exists(anon.resolve("conf")));
        ContainerMount img = f.volumes.resolve("default", "c2", ContainerConfig.EMPTY.toBuilder()
                .volumes(Map.of("/srv/data", Map.of())).build(), HostConfig.EMPTY, f.rootfs, f.volumesFrom())
                .getFirst();
        assertTrue(Files.exists(Path.of(img.source()).resolve("conf")));
    }

    @Test
    void nocopy_leavesTheVolumeEmpty() throws IOException {
        Path data = Path.of(resolve("vol:/srv/data:nocopy").source());
        assertEquals(List.of(), list(data));
        Path viaMount = Path.of(resolve(HostConfig.EMPTY.toBuilder().mounts(List.of(new Mount("volume", "vol2",
                "/srv/data", null, null, null, new Mount.VolumeOptions(true, null, null), null))).build()).source());
        assertEquals(List.of(), list(viaMount));
    }

    @Test
    void volumeWithContent_isNotPopulatedAgain() throws IOException {
        Path data = Path.of(resolve("vol:/srv/data").source());
        Files.delete(data.resolve("conf"));
        Files.writeString(data.resolve("mine"), "written by a container");
        resolve("vol:/srv/data");
        assertFalse(Files.exists(data.resolve("conf")));
        assertEquals("written by a container", Files.readString(data.resolve("mine")));
    }

    @Test
    void binds_areNeverCopiedInto() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        resolve(host + ":/srv/data");
        assertEquals(List.of(), list(host));
    }

    @Test
    void imagePath_isResolvedInsideTheRootfs() throws IOException {
        // /srv/escape -> /../../outside would leave the rootfs if followed on the host
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host file");
        Files.createSymbolicLink(f.rootfs.resolve("srv/escape"), Path.of("/../../outside"));
        Path escaped = Path.of(resolve("esc:/srv/escape").source());
        assertEquals(List.of(), list(escaped));
        // a symlink inside the image is followed inside the rootfs: /srv/alias -> /srv/data
        Files.createSymbolicLink(f.rootfs.resolve("srv/alias"), Path.of("/srv/data"));
        assertTrue(Files.exists(Path.of(resolve("alias:/srv/alias").source()).resolve("conf")));
    }

    @Test
    void missingImagePath_leavesAnEmptyVolume() throws IOException {
        assertEquals(List.of(), list(Path.of(resolve("vol:/not/there").source())));
    }

    static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
