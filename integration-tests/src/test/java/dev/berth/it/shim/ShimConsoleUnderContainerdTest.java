package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.containerd.OciImageLayout;
import dev.berth.it.containerd.PrivateContainerd;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.ConsoleSocket;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * berth-shim's stdio under real containerd 1.6: {@code ctr run -t} and {@code ctr task exec -t} on a pty of the
 * test's own (pty-run.py types a line; the window size is checked by ShimTaskServiceTest, since busybox
 * {@code stty size} under ctr sometimes failed here with "stty: standard input"), and {@code ctr run --log-uri} with {@code file://}
 * and {@code binary://} (a shell-script logger speaking containerd's logging protocol).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimConsoleUnderContainerdTest {
    private static final String IMAGE = "docker.io/berth-it/busybox:latest";
    private static final String SHIM_MAIN = "dev.berth.shim.server.Main";

    private Path tmp;
    private Path shim;
    private Path ptyRun;
    private CommandLine commandLine;
    private PrivateContainerd containerd;
    private String namespace;
    private Path fifoDir;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        shim = repo.resolve("bin/berth-shim");
        // short: the shim's socket lives under this directory and a unix socket path holds 107 bytes
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bcon-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        commandLine = new CommandLine(Files.createDirectories(tmp.resolve("calls")));
        fifoDir = Files.createDirectories(tmp.resolve("fifo"));
        ptyRun = tmp.resolve("pty-run.py");
        try (InputStream in = ConsoleSocket.class.getResourceAsStream("pty-run.py")) {
            Files.copy(in, ptyRun);
        }
        namespace = "berth-it-" + random();
        containerd = PrivateContainerd.start(tmp, commandLine);
        Path image = tmp.resolve("busybox-oci.tar");
        OciImageLayout.writeBusybox(tmp, IMAGE, image);
        ctr("images", "import", image.toString()).assertSuccess();
    }

    @AfterAll
    void stopContainerdAndCleanUp() throws IOException {
        List<String> problems = new ArrayList<>();
        if (containerd != null) {
            for (String id : containers) {
                ctr("tasks", "kill", "--signal", "SIGKILL", id);
                ctr("tasks", "delete", "--force", id);
                ctr("containers", "delete", id);
            }
            containerd.close();
        }
        List<Long> shims = shimProcesses();
        if (!shims.isEmpty()) {
            problems.add("shim processes left: " + shims);
            for (long pid : shims) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        CgroupFs.removeLeftovers("/" + namespace);
        if (!HostMounts.under(tmp).isEmpty()) {
            throw new AssertionError("mounts left under " + tmp + " (kept): " + HostMounts.under(tmp));
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    @Test
    void runTty_showsAPtyTypedInputAndTheExitCode() {
        String id = newId();
        String shown = onPty("ready>", "hello", "run", "--runtime", shim.toString(), "--fifo-dir",
                fifoDir.toString(), "-t", "--rm", IMAGE, id, "sh", "-c",
                "tty; echo 'ready>'; read line; echo \"got:$line\"; exit 5");
        assertTrue(shown.contains("/dev/pts/"), shown);
        assertTrue(shown.contains("got:hello\n"), shown);
        assertTrue(shown.endsWith("exit=5\n"), shown + "\ncontainerd log:\n" + containerd.log());
        assertNothingLeft(id);
    }

    @Test
    void execTty_inADetachedTask_hasAPtyOfItsOwn() {
        String id = newId();
        ctr("run", "--runtime", shim.toString(), "--fifo-dir", fifoDir.toString(), "-d", IMAGE, id, "sleep", "300")
                .assertSuccess();
        try {
            String shown = onPty("ready>", "typed", "tasks", "exec", "--fifo-dir", fifoDir.toString(), "-t",
                    "--exec-id", "tty1", id, "sh", "-c", "tty; echo 'ready>'; read line; echo \"got:$line\"; exit 6");
            assertTrue(shown.contains("/dev/pts/"), shown);
            assertTrue(shown.contains("got:typed\n"), shown);
            assertTrue(shown.endsWith("exit=6\n"), shown + "\ncontainerd log:\n" + containerd.log());
        } finally {
            removeTask(id);
        }
    }

    @Test
    void runLogUri_file_appendsStdoutAndStderrToTheFile() throws IOException {
        String id = newId();
        Path log = tmp.resolve("logs").resolve(id + ".log");
        CliResult r = ctr("run", "--runtime", shim.toString(), "--log-uri", "file://" + log, "--rm", IMAGE, id,
                "sh", "-c", "echo to-out; echo to-err >&2; exit 4");
        assertEquals(4, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        assertEquals("to-out\nto-err\n", Files.readString(log));
        assertNothingLeft(id);
    }

    @Test
    void runLogUri_binary_feedsTheLoggerOnFds3And4WithItsEnvironment() throws IOException {
        String id = newId();
        Path out = Files.createDirectories(tmp.resolve("logger-" + id));
        Path logger = tmp.resolve("logger.sh");
        Files.writeString(logger, """
                #!/bin/sh
                # containerd's logging protocol: stdout on fd 3, stderr on fd 4, close fd 5 once ready
                dir="$2"
                echo "$1 id=$CONTAINER_ID ns=$CONTAINER_NAMESPACE" > "$dir/env"
                exec 5>&-
                cat <&3 > "$dir/stdout" &
                cat <&4 > "$dir/stderr"
                wait
                """);
        Files.setPosixFilePermissions(logger, PosixFilePermissions.fromString("rwx------"));
        CliResult r = ctr("run", "--runtime", shim.toString(), "--log-uri", "binary://" + logger + "?dir=" + out,
                "--rm", IMAGE, id, "sh", "-c", "echo to-out; echo to-err >&2; exit 3");
        assertEquals(3, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        Wait.until("logger wrote stderr", Duration.ofSeconds(10),
                () -> Files.exists(out.resolve("stderr")) && !read(out.resolve("stderr")).isEmpty());
        assertEquals("dir id=" + id + " ns=" + namespace + "\n", Files.readString(out.resolve("env")));
        Wait.until("logger wrote stdout", Duration.ofSeconds(10), () -> read(out.resolve("stdout")).equals("to-out\n"));
        assertEquals("to-err\n", Files.readString(out.resolve("stderr")));
        assertNothingLeft(id);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs ctr on a pty of 33 rows and 101 columns, types {@code input} once {@code marker} shows. */
    private String onPty(String marker, String input, String... ctrArgs) {
        List<String> command = new ArrayList<>(List.of(ConsoleSocket.PYTHON.toString(), ptyRun.toString(), "33",
                "101", marker, input, "40", "/usr/bin/ctr", "-a", containerd.socket().toString(), "-n", namespace));
        command.addAll(List.of(ctrArgs));
        CliResult r = commandLine.run(Duration.ofSeconds(60), command);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout();
    }

    private void removeTask(String id) {
        ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> !ctr("tasks", "ls").stdout()
                .lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("RUNNING")));
        ctr("tasks", "delete", id).assertSuccess();
        ctr("containers", "delete", id).assertSuccess();
        assertNothingLeft(id);
    }

    /** No shim serves the task any more, nothing is mounted under the state dir, the cgroup is gone. */
    private void assertNothingLeft(String id) {
        Wait.until("shim of " + id + " exited", Duration.ofSeconds(20), () -> shimProcesses().isEmpty());
        assertEquals(List.of(), HostMounts.under(tmp), "mounts left");
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroups left");
        containers.remove(id);
    }

    /** Pids of berth-shim processes serving this test's containerd. */
    private List<Long> shimProcesses() {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(SHIM_MAIN) && cmdline.contains(tmp.toString())) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited while being looked at, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    private CliResult ctr(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", namespace));
        argv.addAll(List.of(args));
        return containerd.ctr(argv.toArray(String[]::new));
    }

    private String newId() {
        String id = "it-" + random();
        containers.add(id);
        return id;
    }

    private static String random() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
