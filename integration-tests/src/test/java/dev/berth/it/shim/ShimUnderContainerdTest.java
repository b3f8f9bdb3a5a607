package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.containerd.OciImageLayout;
import dev.berth.it.containerd.PrivateContainerd;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * berth-shim under real containerd 1.6, selected by absolute path with {@code ctr run --runtime}: containerd runs
 * the shim's {@code start}, talks ttrpc to it, receives its events, and the shim drives berth-runtime in-process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimUnderContainerdTest {
    private static final String IMAGE = "docker.io/berth-it/busybox:latest";
    private static final String SHIM_MAIN = "dev.berth.shim.server.Main";

    private Path tmp;
    private Path shim;
    private PrivateContainerd containerd;
    private String namespace;
    private Path fifoDir;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        shim = repo.resolve("bin/berth-shim");
        // short: the shim's socket lives under this directory and a unix socket path holds 107 bytes
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bshim-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        CommandLine commandLine = new CommandLine(Files.createDirectories(tmp.resolve("calls")));
        fifoDir = Files.createDirectories(tmp.resolve("fifo"));
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
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    @Test
    void runRm_echo_printsOutputAndLeavesNothing() {
        String id = newId();
        CliResult r = run("--rm", IMAGE, id, "echo", "hi");
        assertEquals(0, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        assertEquals("hi\n", r.stdout());
        assertNothingLeft(id);
    }

    @Test
    void runRm_exitCode_isPropagated() {
        String id = newId();
        CliResult r = run("--rm", IMAGE, id, "sh", "-c", "exit 42");
        assertEquals(42, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        assertNothingLeft(id);
    }

    @Test
    void detachedTask_execPsPauseResumeKillDelete() {
        String id = newId();
        run("-d", IMAGE, id, "sleep", "300").assertSuccess();
        assertEquals("RUNNING", taskStatus(id));
        assertEquals(1, shimProcesses().size(), "one shim serves the task");

        CliResult exec = ctr("tasks", "exec", "--fifo-dir", fifoDir.toString(), "--exec-id", "probe", id, "sh", "-c",
                "echo in-exec; exit 3");
        assertEquals(3, exec.exitCode(), exec.toString());
        assertEquals("in-exec\n", exec.stdout());

        String ps = ctr("tasks", "ps", id).assertSuccess().stdout();
        assertTrue(ps.lines().count() >= 2, "a header and the init: " + ps);

        ctr("tasks", "pause", id).assertSuccess();
        assertEquals("PAUSED", taskStatus(id));
        ctr("tasks", "resume", id).assertSuccess();
        assertEquals("RUNNING", taskStatus(id));

        ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> "STOPPED".equals(taskStatus(id)));
        ctr("tasks", "delete", id).assertSuccess();
        assertTrue(!ctr("tasks", "ls").stdout().contains(id), "task gone");
        ctr("containers", "delete", id).assertSuccess();
        assertNothingLeft(id);
    }

    /** The STATUS column of {@code ctr tasks ls} for one task (TASK PID STATUS). */
    private String taskStatus(String id) {
        String out = ctr("tasks", "ls").assertSuccess().stdout();
        return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f[0].equals(id)).map(f -> f[2]).findFirst()
                .orElse("absent");
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

    private CliResult run(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "--runtime", shim.toString(), "--fifo-dir",
                fifoDir.toString()));
        argv.addAll(List.of(args));
        return ctr(argv.toArray(String[]::new));
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
