package dev.berth.manager.task.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher against a fake shim: a script that records how it was run and answers as told. */
class ShimLauncherTest {
    private Path tmp;
    private Path bundle;
    private Path shim;
    private ShimLauncher launcher;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("shim-launcher-");
        bundle = Files.createDirectories(tmp.resolve("state/ns/task1"));
        shim = tmp.resolve("fake-shim");
        launcher = new ShimLauncher(new ShimLauncherConfig(tmp.resolve("berthd.sock"), tmp.resolve("ev.sock"),
                Path.of("/usr/bin/berthd"), false, Duration.ofSeconds(5)), LinuxSyscalls.loadBuilt());
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void script(String body) throws IOException {
        Files.writeString(shim, "#!/bin/sh\nrec=" + tmp + "\n" + body);
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
    }

    private ShimCall call() {
        return new ShimCall(shim, "ns", "task1", bundle);
    }

    @Test
    void start_runsTheVerbInTheBundle_withArgvEnvAndOptionsOnStdin_andRecordsTheAddress() throws Exception {
        script("""
                printf '%s\\n' "$@" > $rec/argv
                pwd > $rec/cwd
                echo "$TTRPC_ADDRESS $GRPC_ADDRESS $NAMESPACE" > $rec/env
                cat > $rec/stdin
                [ -p log ] && echo fifo > $rec/log-kind
                echo some noise >&2
                printf 'unix:///run/x/s/abc\\n'
                """);
        Any options = Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(ByteString.copyFromUtf8("opts")).build();
        ShimLauncher.Started started = launcher.start(call(), Optional.of(options));
        started.log().close();

        assertEquals("unix:///run/x/s/abc", started.address());
        assertEquals(List.of("-namespace", "ns", "-address", tmp.resolve("berthd.sock").toString(),
                "-publish-binary", "/usr/bin/berthd", "-id", "task1", "start"),
                Files.readAllLines(tmp.resolve("argv")));
        assertEquals(bundle.toString(), Files.readString(tmp.resolve("cwd")).strip());
        assertEquals(tmp.resolve("ev.sock") + " " + tmp.resolve("berthd.sock") + " ns",
                Files.readString(tmp.resolve("env")).strip());
        assertArrayEquals(options.toByteArray(), Files.readAllBytes(tmp.resolve("stdin")));
        assertEquals("fifo", Files.readString(tmp.resolve("log-kind")).strip(), "the log FIFO exists before start");
        assertEquals("unix:///run/x/s/abc", Files.readString(bundle.resolve("address")));
        assertEquals(shim.toString(), Files.readString(bundle.resolve("shim-binary-path")));
    }

    @Test
    void start_withoutOptions_sendsEmptyStdin_andDebugAddsTheFlag() throws Exception {
        launcher = new ShimLauncher(new ShimLauncherConfig(tmp.resolve("berthd.sock"), tmp.resolve("ev.sock"),
                Path.of("/usr/bin/berthd"), true, Duration.ofSeconds(5)), LinuxSyscalls.loadBuilt());
        script("""
                printf '%s\\n' "$@" > $rec/argv
                cat > $rec/stdin
                echo unix:///s
                """);
        launcher.start(call(), Optional.empty()).log().close();
        assertEquals(0, Files.size(tmp.resolve("stdin")));
        List<String> argv = Files.readAllLines(tmp.resolve("argv"));
        assertEquals(List.of("-id", "task1", "-debug", "start"), argv.subList(argv.size() - 4, argv.size()));
    }

    @Test
    void start_failingShim_isInternalWithItsStderr() throws Exception {
        script("echo 'cannot do it' >&2; exit 3");
        BerthException e = assertThrows(BerthException.class, () -> launcher.start(call(), Optional.empty()));
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().startsWith("start shim task1: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("exited with status 3: cannot do it"), e.getMessage());
        assertTrue(Files.notExists(bundle.resolve("address")));
    }

    @Test
    void start_noAddressPrinted_isInternal() throws Exception {
        script("echo 'tcp://1.2.3.4:5'");
        BerthException e = assertThrows(BerthException.class, () -> launcher.start(call(), Optional.empty()));
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains("printed no unix socket address"), e.getMessage());
    }

    @Test
    void start_hangingShim_isKilledAtTheTimeout() throws Exception {
        launcher = new ShimLauncher(new ShimLauncherConfig(tmp.resolve("berthd.sock"), tmp.resolve("ev.sock"),
                Path.of("/usr/bin/berthd"), false, Duration.ofMillis(500)), LinuxSyscalls.loadBuilt());
        script("exec sleep 30");
        long t0 = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> launcher.start(call(), Optional.empty()));
        assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind(), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void start_missingBinary_isNotFound() {
        BerthException e = assertThrows(BerthException.class, () -> launcher.start(
                new ShimCall(tmp.resolve("nope"), "ns", "task1", bundle), Optional.empty()));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    @Test
    void delete_runsTheVerbWithTheBundleFlag_andParsesTheDeleteResponse() throws Exception {
        DeleteResponse response = DeleteResponse.newBuilder().setPid(12).setExitStatus(137)
                .setExitedAt(Timestamp.newBuilder().setSeconds(1700000000).setNanos(5)).build();
        Files.write(tmp.resolve("response"), response.toByteArray());
        script("""
                printf '%s\\n' "$@" > $rec/argv
                pwd > $rec/cwd
                cat $rec/response
                """);
        ProcessExit exit = launcher.delete(call());
        assertEquals(new ProcessExit(12, 137, Instant.ofEpochSecond(1700000000, 5)), exit);
        assertEquals(List.of("-namespace", "ns", "-address", tmp.resolve("berthd.sock").toString(),
                "-publish-binary", "/usr/bin/berthd", "-id", "task1", "-bundle", bundle.toString(), "delete"),
                Files.readAllLines(tmp.resolve("argv")));
        assertEquals(bundle.toString(), Files.readString(tmp.resolve("cwd")).strip());
    }

    @Test
    void socketPath_acceptsOnlyAbsoluteUnixPaths() {
        assertEquals(Path.of("/run/s/1"), ShimLauncher.socketPath("unix:///run/s/1"));
        for (String bad : List.of("unix://@abstract", "unix://rel/path", "tcp://x", "/run/s/1")) {
            assertEquals(ErrorKind.INVALID_ARGUMENT,
                    assertThrows(BerthException.class, () -> ShimLauncher.socketPath(bad)).kind(), bad);
        }
    }
}
