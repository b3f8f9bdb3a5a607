package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.services.namespaces.v1.CreateNamespaceRequest;
import dev.berth.api.services.namespaces.v1.Namespace;
import dev.berth.api.services.namespaces.v1.NamespacesGrpc;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.manager.fs.Permissions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who is not root can reach nothing berthd keeps (the CVE-2021-41103 class), and a root left with
 * looser modes is restricted at start.
 */
class StorageModesTest {

    @TempDir
    Path dir;

    private final String user = "bt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private boolean userAdded;

    @BeforeEach
    void openTempDir() throws IOException {
        // the temp dir is 0700 itself, which would hide everything below it whatever berthd does
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeUser() throws Exception {
        if (userAdded) {
            run("userdel", user);
        }
    }

    private BerthdConfig config() {
        return TestConfig.in(dir).withAddress(dir.resolve("run/b.sock"));
    }

    @Test
    void open_nonRootUserCannotListOrReadSnapshotsContentOrDatabase() throws Exception {
        assertEquals(0, run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", user)
                .exit(), "useradd " + user);
        userAdded = true;
        Path root = dir.resolve("root");
        try (Berthd berthd = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            ManagedChannel ch = berthd.channel();
            try {
                NamespacesGrpc.newBlockingStub(ch).create(CreateNamespaceRequest.newBuilder()
                        .setNamespace(Namespace.newBuilder().setName("modes").putLabels("DB_PASSWORD", "hunter2"))
                        .build());
                in(SnapshotsGrpc.newBlockingStub(ch), "modes").prepare(PrepareSnapshotRequest.newBuilder()
                        .setKey("k1").build());
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            Path snapshots = root.resolve("snapshots/overlayfs/snapshots");
            Path prepared;
            try (var s = Files.list(snapshots)) {
                prepared = s.findFirst().orElseThrow();
            }
            for (Path p : List.of(root.resolve("content"), root.resolve("content/blobs"), root.resolve("snapshots"),
                    root.resolve("snapshots/overlayfs"), snapshots, root.resolve("tmp"))) {
                Result r = asUser("ls", p.toString());
                assertNotEquals(0, r.exit(), "user lists " + p + ": " + r.output());
            }
            Result fs = asUser("ls", prepared.resolve("fs").toString());
            assertNotEquals(0, fs.exit(), "user enters a snapshot: " + fs.output());
            for (String f : List.of("metadata.db", "metadata.db-wal", "metadata.db-shm")) {
                Path p = root.resolve(f);
                assertTrue(Files.exists(p), p + " exists while the database is open");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), f);
                Result r = asUser("cat", p.toString());
                assertNotEquals(0, r.exit(), "user reads " + p);
            }
            assertNotEquals(0, asUser("ls", root.toString()).exit(), "the root is not listed");
            assertEquals(0, asUser("test", "-x", root.toString()).exit(), "the root is passed through (0711)");
            assertEquals("rwx------", mode(dir.resolve("run/s")), "shim sockets");
            assertEquals("rwx--x--x", mode(dir.resolve("run/berth-runtime")), "the runtime's state root");
        }
    }

    @Test
    void open_existingRootWithOpenModes_isRestrictedAndEachChangeReported() throws Exception {
        Berthd.open(config(), LinuxSyscalls.loadBuilt()).close();
        Path root = dir.resolve("root");
        Path bundles = dir.resolve("state/io.containerd.runtime.v2.task/default");
        Files.createDirectories(bundles);
        Map<Path, String> loosened = Map.of(
                root, "rwxr-xr-x",
                root.resolve("content"), "rwxr-xr-x",
                root.resolve("snapshots/overlayfs/snapshots"), "rwxrwxrwx",
                root.resolve("metadata.db"), "rw-r--r--",
                dir.resolve("state"), "rwxr-xr-x",
                bundles.getParent(), "rwxr-xr-x",
                bundles, "rwxr-xr-x");
        for (var e : loosened.entrySet()) {
            Files.setPosixFilePermissions(e.getKey(), PosixFilePermissions.fromString(e.getValue()));
        }

        List<StorageModes.Fixed> fixed = new StorageModes(root, dir.resolve("state"), dir.resolve("run/b.sock"))
                .restrict();

        Map<Path, String> reported = fixed.stream().collect(Collectors.toMap(StorageModes.Fixed::path,
                f -> PosixFilePermissions.toString(f.old())));
        assertEquals(loosened, reported);
        assertEquals("rwx--x--x", mode(root));
        assertEquals("rwx------", mode(root.resolve("content")));
        assertEquals("rwx------", mode(root.resolve("snapshots/overlayfs/snapshots")));
        assertEquals("rw-------", mode(root.resolve("metadata.db")));
        assertEquals("rwx--x--x", mode(dir.resolve("state")));
        assertEquals("rwx--x--x", mode(bundles));
        assertEquals("0644", Permissions.octal(PosixFilePermissions.fromString("rw-r--r--")));

        Files.setPosixFilePermissions(root.resolve("metadata.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(root.resolve("content"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Berthd.open(config(), LinuxSyscalls.loadBuilt()).close();
        assertEquals("rw-------", mode(root.resolve("metadata.db")), "berthd restricts at start");
        assertEquals("rwx------", mode(root.resolve("content")));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S in(S stub, String ns) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), ns);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private record Result(int exit, String output) {
    }

    private Result asUser(String... command) throws Exception {
        String[] full = new String[command.length + 4];
        full[0] = "runuser";
        full[1] = "-u";
        full[2] = user;
        full[3] = "--";
        System.arraycopy(command, 0, full, 4, command.length);
        return run(full);
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(p.exitValue(), out);
    }
}
