package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.containerd.PrivateContainerd;
import dev.berth.it.support.Background;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.Wait;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private containerd with the busybox image imported and berth-shim as the runtime of its {@code ctr run}s; it
 * can be killed and started again on the same root, state and sockets, and cleans up every container it ran.
 */
final class ContainerdFixture implements AutoCloseable {
    static final String IMAGE = "docker.io/berth-it/busybox:latest";
    private static final String SHIM_MAIN = "dev.berth.shim.server.Main";
    /**
     * containerd's environment, which it passes to the shims: the shim server exits 1 s after its last task (30 s
     * by default), so that the tests see it go.
     */
    private static final Map<String, String> SHIM_ENV = Map.of("BERTH_SHIM_IDLE_SECONDS", "1");

    private final Path tmp;
    private final Path shim;
    private final CommandLine commandLine;
    private final Path fifoDir;
    private final String namespace = "berth-it-" + random();
    private final List<String> containers = new ArrayList<>();
    private PrivateContainerd containerd;

    private ContainerdFixture(Path tmp) throws IOException {
        this.tmp = tmp;
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        this.shim = repo.resolve("bin/berth-shim");
        this.commandLine = new CommandLine(Files.createDirectories(tmp.resolve("calls")));
        this.fifoDir = Files.createDirectories(tmp.resolve("fifo"));
    }

    /** Starts containerd under a new short temp dir (the shims' sockets live there) and imports the image. */
    static ContainerdFixture start() throws IOException {
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bshim-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        ContainerdFixture f = new ContainerdFixture(tmp);
        try {
            f.containerd = PrivateContainerd.start(tmp, f.commandLine, SHIM_ENV);
            Path image = tmp.resolve("busybox-oci.tar");
            BusyboxImage.writeArchive(IMAGE, image);
            f.ctr("images", "import", image.toString()).assertSuccess();
            return f;
        } catch (IOException | RuntimeException | AssertionError e) {
            f.close();
            throw e;
        }
    }

    /** SIGKILLs containerd (by the pid this fixture started) and waits until it is gone; the shims stay. */
    void killContainerd() throws InterruptedException {
        Optional<ProcessHandle> daemon = ProcessHandle.of(containerd.pid());
        if (daemon.isPresent()) {
            daemon.get().destroyForcibly();
            try {
                daemon.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("containerd " + containerd.pid() + " did not exit after SIGKILL", e);
            }
        }
    }

    /** Starts containerd again on the same root, state and sockets. */
    void restartContainerd() throws IOException {
        containerd = PrivateContainerd.start(tmp, commandLine, SHIM_ENV);
    }

    String log() {
        return containerd.log();
    }

    /** {@code ctr run --runtime <berth-shim> --fifo-dir … ARGS}. */
    CliResult run(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "--runtime", shim.toString(), "--fifo-dir",
                fifoDir.toString()));
        argv.addAll(List.of(args));
        return ctr(argv.toArray(String[]::new));
    }

    /** {@code ctr tasks exec} with this fixture's FIFO dir. */
    CliResult exec(String id, String execId, String... command) {
        List<String> argv = new ArrayList<>(List.of("tasks", "exec", "--fifo-dir", fifoDir.toString(), "--exec-id",
                execId, id));
        argv.addAll(List.of(command));
        return ctr(argv.toArray(String[]::new));
    }

    CliResult ctr(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", namespace));
        argv.addAll(List.of(args));
        return containerd.ctr(argv.toArray(String[]::new));
    }

    /** {@code ctr ARGS} in this fixture's namespace, left running (e.g. {@code events}). */
    Background ctrInBackground(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", namespace));
        argv.addAll(List.of(args));
        return containerd.ctrInBackground(argv.toArray(String[]::new));
    }

    /** The STATUS column of {@code ctr tasks ls} for one task (TASK PID STATUS), or "absent". */
    String taskStatus(String id) {
        String out = ctr("tasks", "ls").assertSuccess().stdout();
        return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f[0].equals(id)).map(f -> f[2]).findFirst()
                .orElse("absent");
    }

    /** A new container id, cleaned up on close unless {@link #forget}. */
    String newId() {
        String id = "it-" + random();
        containers.add(id);
        return id;
    }

    void forget(String id) {
        containers.remove(id);
    }

    /** Pids of berth-shim processes serving this fixture's containerd. */
    List<Long> shimProcesses() {
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
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** No shim serves this containerd any more, nothing is mounted under its dir, the task's cgroup is gone. */
    void assertNothingLeft(String id) {
        Wait.until("shim of " + id + " exited", Duration.ofSeconds(20), () -> shimProcesses().isEmpty());
        assertEquals(List.of(), HostMounts.under(tmp), "mounts left");
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroups left");
        forget(id);
    }

    /** Kills, deletes and removes a detached task and its container, then {@link #assertNothingLeft}. */
    void removeTask(String id) {
        ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> !"RUNNING".equals(taskStatus(id)));
        ctr("tasks", "delete", id).assertSuccess();
        ctr("containers", "delete", id).assertSuccess();
        assertNothingLeft(id);
    }

    String namespace() {
        return namespace;
    }

    /** containerd's gRPC socket, for a ctr started by the test itself. */
    Path socket() {
        return containerd.socket();
    }

    CommandLine commandLine() {
        return commandLine;
    }

    Path shim() {
        return shim;
    }

    Path fifoDir() {
        return fifoDir;
    }

    Path dir() {
        return tmp;
    }

    /** Removes every container still known, stops containerd, kills leftover shims (an error), removes the dir. */
    @Override
    public void close() throws IOException {
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

    static String random() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
