package dev.berth.it.containerd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.HostProcesses;
import dev.berth.it.support.Wait;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runtime as a runc drop-in under real containerd 1.6 and its own shim ({@code io.containerd.runc.v2}), selected
 * with {@code ctr run --runc-binary}. The shim calls the runtime with {@code --root}, {@code --log} and
 * {@code --log-format json} and parses its output, exactly as in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerdDropInTest {
    private static final String IMAGE = "docker.io/berth-it/busybox:latest";

    private Path tmp;
    private CommandLine commandLine;
    private PrivateContainerd containerd;
    private String namespace;
    private Path runtimeWrapper;
    private Path runtimeCalls;
    private Path fifoDir;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        tmp = Files.createTempDirectory("berth-it-ctrd-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        commandLine = new CommandLine(Files.createDirectories(tmp.resolve("calls")));
        fifoDir = Files.createDirectories(tmp.resolve("fifo"));
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        // A unique namespace also makes the default cgroup path (/<namespace>/<id>) unique.
        namespace = "berth-it-" + HexFormat.of().formatHex(r);

        // The shim runs the wrapper, which records each call and execs the runtime under test: proof that the
        // runtime under test, not a runc from PATH, did the work.
        runtimeCalls = tmp.resolve("runtime-calls.log");
        runtimeWrapper = tmp.resolve("runtime-wrapper");
        Files.writeString(runtimeWrapper, "#!/bin/sh\necho \"$*\" >> " + runtimeCalls + "\nexec "
                + ContainerTest.RUNTIME_BINARY + " \"$@\"\n");
        Files.setPosixFilePermissions(runtimeWrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

        containerd = PrivateContainerd.start(tmp, commandLine);
        Path image = tmp.resolve("busybox-oci.tar");
        BusyboxImage.writeArchive(IMAGE, image);
        ctr("images", "import", image.toString()).assertSuccess();
        String images = ctr("images", "ls", "-q").assertSuccess().stdout();
        assertTrue(images.contains(IMAGE), "imported under its io.containerd.image.name annotation: " + images);
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
        // Shims outlive containerd by design; after the deletes above none of ours may remain.
        List<Long> shims = HostProcesses.related(tmp.resolve("nothing"), tmp.toString());
        if (!shims.isEmpty()) {
            problems.add("processes left: " + shims);
            for (long pid : shims) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        CgroupFs.removeLeftovers("/" + namespace);
        if (!HostMounts.under(tmp).isEmpty()) {
            throw new AssertionError("mounts left under " + tmp + " (kept): " + HostMounts.under(tmp));
        }
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    @Test
    void run_rm_echo_printsOutputAndUsesTheRuntime() throws IOException {
        CliResult r = run("--rm", IMAGE, newId(), "echo", "hi");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("hi\n", r.stdout());
        String calls = Files.readString(runtimeCalls);
        assertTrue(calls.lines().anyMatch(l -> l.contains("--root") && l.contains("--log-format json")
                && l.contains(" create ")), "the shim called the runtime under test: " + calls);
    }

    @Test
    void run_rm_exitCode_isPropagated() {
        CliResult r = run("--rm", IMAGE, newId(), "sh", "-c", "exit 42");
        assertEquals(42, r.exitCode(), r.toString());
    }

    @Test
    void detachedTask_execListPauseResumeKillDelete() {
        String id = newId();
        run("-d", IMAGE, id, "sleep", "300").assertSuccess();
        assertEquals("RUNNING", taskStatus(id));

        CliResult exec = ctr("tasks", "exec", "--fifo-dir", fifoDir.toString(), "--exec-id", "probe", id, "sh", "-c",
                "echo in-exec $$; exit 3");
        assertEquals(3, exec.exitCode(), exec.toString());
        assertTrue(exec.stdout().startsWith("in-exec "), exec.toString());

        ctr("tasks", "pause", id).assertSuccess();
        assertEquals("PAUSED", taskStatus(id));
        ctr("tasks", "resume", id).assertSuccess();
        assertEquals("RUNNING", taskStatus(id));

        ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> "STOPPED".equals(taskStatus(id)));
        ctr("tasks", "delete", id).assertSuccess();
        assertTrue(!ctr("tasks", "ls").stdout().contains(id), "task gone");
        ctr("containers", "delete", id).assertSuccess();
        containers.remove(id);
    }

    private CliResult run(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "--runc-binary", runtimeWrapper.toString(),
                "--fifo-dir", fifoDir.toString()));
        argv.addAll(List.of(args));
        return ctr(argv.toArray(String[]::new));
    }

    /** The STATUS column of {@code ctr tasks ls} for one task (TASK PID STATUS). */
    private String taskStatus(String id) {
        String out = ctr("tasks", "ls").assertSuccess().stdout();
        return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f[0].equals(id)).map(f -> f[2]).findFirst()
                .orElse("absent");
    }

    private CliResult ctr(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", namespace));
        argv.addAll(List.of(args));
        return containerd.ctr(argv.toArray(String[]::new));
    }

    private String newId() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        String id = "it-" + HexFormat.of().formatHex(r);
        containers.add(id);
        return id;
    }

}
