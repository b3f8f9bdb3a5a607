package dev.berth.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BundleTest {
    private static final long MS_BIND = 4096;
    private final Syscalls sys = LinuxSyscalls.loadBuilt();
    private Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("bundle-");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Path m : MountInfo.at(tmp)) {
            sys.unmount(m.toString(), 2);
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void create_laysOutTheBundleAsContainerd() throws IOException {
        Bundle b = Bundle.create(tmp, "ns1", "web", "{\"ociVersion\":\"1.0.2\"}".getBytes(StandardCharsets.UTF_8));
        Path dir = tmp.resolve("io.containerd.runtime.v2.task/ns1/web");
        assertEquals(dir, b.dir());
        assertEquals("{\"ociVersion\":\"1.0.2\"}", Files.readString(dir.resolve("config.json")));
        assertTrue(Files.isDirectory(dir.resolve("rootfs")));
        assertEquals(List.of(), Files.list(dir.resolve("rootfs")).toList());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rootfs"))));
        assertEquals(Optional.empty(), b.address());
        assertEquals(Optional.empty(), b.shimBinary());
        Files.writeString(dir.resolve("address"), "unix:///x\n");
        assertEquals(Optional.of("unix:///x"), Bundle.load(dir).address());
        assertEquals("ns1", Bundle.load(dir).namespace());
        assertEquals("web", Bundle.load(dir).id());
    }

    @Test
    void create_existingBundle_isAlreadyExists_andLeavesItAlone() throws IOException {
        Bundle.create(tmp, "ns1", "web", new byte[] {'1'});
        BerthException e = assertThrows(BerthException.class, () -> Bundle.create(tmp, "ns1", "web", new byte[] {'2'}));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
        assertEquals("1", Files.readString(tmp.resolve("io.containerd.runtime.v2.task/ns1/web/config.json")));
    }

    @Test
    void delete_unmountsTheRootfsFirst_andNeverEmptiesItsSource() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("image"));
        Files.writeString(source.resolve("keep"), "me");
        Bundle b = Bundle.create(tmp, "ns1", "web", new byte[0]);
        sys.mount(source.toString(), b.rootfs().toString(), "", MS_BIND, "");
        sys.mount(source.toString(), b.rootfs().toString(), "", MS_BIND, ""); // stacked, as a shim may leave it
        Files.writeString(b.dir().resolve("log"), "x");
        b.delete(sys);
        assertFalse(Files.exists(b.dir()));
        assertFalse(Files.exists(b.dir().resolveSibling(".web")));
        assertEquals("me", Files.readString(source.resolve("keep")));
        assertEquals(List.of(), MountInfo.at(tmp));
    }

    @Test
    void delete_nonEmptyRootfsWithoutMount_isRefusedAndKept() throws IOException {
        Bundle b = Bundle.create(tmp, "ns1", "web", new byte[0]);
        Files.writeString(b.rootfs().resolve("file"), "data");
        BerthException e = assertThrows(BerthException.class, () -> b.delete(sys));
        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
        assertTrue(Files.exists(b.rootfs().resolve("file")));
    }

    @Test
    void purge_removesTheLeftoverOfAnInterruptedDelete() throws IOException {
        Path leftover = Files.createDirectories(tmp.resolve("io.containerd.runtime.v2.task/ns1/.web/rootfs"))
                .getParent();
        assertTrue(Bundle.isLeftover(leftover));
        assertFalse(Bundle.isLeftover(leftover.resolveSibling("web")));
        Bundle.purge(sys, leftover);
        assertFalse(Files.exists(leftover));
    }

    @Test
    void mountInfo_unescapesOctal() {
        assertEquals("/a b\\c\td", MountInfo.unescape("/a\\040b\\134c\\011d"));
    }
}
