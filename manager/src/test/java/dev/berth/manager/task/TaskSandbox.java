package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.task.shim.EventsForwardServer;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.manager.task.shim.ShimLauncherConfig;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * What a test of real tasks runs in: its own temp dir (state root, shim sockets, a busybox rootfs), namespace and
 * cgroup parent, an exchange fed by the shims' forward socket, and a shim launcher. {@link #close} removes all of
 * it, killing only processes the test started, and fails if shims were left behind.
 */
public final class TaskSandbox implements AutoCloseable {
    private final Syscalls sys = LinuxSyscalls.loadBuilt();
    private final List<ShimTasks> instances = new ArrayList<>();
    private final Path tmp;
    private final Path rootfs;
    private final String namespace;
    private final String cgroupParent;
    private final Exchange exchange;
    private final EventsForwardServer events;
    private final ShimLauncher launcher;

    private TaskSandbox(Path tmp) throws IOException, InterruptedException {
        this.tmp = tmp;
        this.rootfs = BusyboxRootfs.create(tmp.resolve("image"));
        this.namespace = "bt-" + random();
        this.cgroupParent = "bt-" + random();
        this.exchange = new Exchange();
        this.events = EventsForwardServer.listen(tmp.resolve("berthd.sock.ttrpc"), exchange);
        this.launcher = new ShimLauncher(new ShimLauncherConfig(tmp.resolve("berthd.sock"), events.socket(),
                Path.of("/bin/true"), false, Duration.ofSeconds(60)), sys);
    }

    public static TaskSandbox create() throws IOException, InterruptedException {
        // short: shim sockets live below it
        return new TaskSandbox(Files.createDirectory(Path.of("/tmp", "bt-" + random())));
    }

    /** berth-shim as {@code io.containerd.runc.v2}, from this checkout's {@code bin/}. */
    public static ShimBinaries berthShim() {
        Path repo = Path.of(System.getProperty("berth.repo", "..")).toAbsolutePath().normalize();
        return new ShimBinaries(Map.of(ShimBinaries.RUNC_V2, repo.resolve("bin/berth-shim")),
                Optional.ofNullable(System.getenv("PATH")).orElse(""));
    }

    /** A new {@link ShimTasks} over this sandbox's state root; closed by {@link #close}. */
    public ShimTasks newTasks(ShimBinaries binaries) {
        ShimTasks t = new ShimTasks(new ShimTasksConfig(stateRoot(), binaries, Duration.ofSeconds(60),
                Duration.ofSeconds(15)), launcher, exchange, exchange, sys);
        instances.add(t);
        return t;
    }

    /** The instances made so far, the latest last. */
    List<ShimTasks> instances() {
        return instances;
    }

    public Path tmp() {
        return tmp;
    }

    public Path stateRoot() {
        return tmp.resolve("state");
    }

    public String namespace() {
        return namespace;
    }

    /** Kills, waits for and deletes each of the tasks {@code ids} of this namespace that {@code tasks} still has. */
    public void removeTasks(ShimTasks tasks, List<String> ids) throws IOException {
        for (String id : ids) {
            try {
                tasks.kill(ProcessRef.init(namespace, id), 9, true);
                tasks.wait(ProcessRef.init(namespace, id));
            } catch (BerthException e) {
                // not running, or already gone
            }
            try {
                tasks.delete(namespace, id);
            } catch (BerthException e) {
                // already deleted
            }
        }
    }

    public Exchange exchange() {
        return exchange;
    }

    /** An OCI spec running {@code args} over the busybox rootfs, in a cgroup below this sandbox's parent. */
    public byte[] spec(String id, List<String> args) {
        return TestSpecs.spec("/" + cgroupParent + "/" + id, args);
    }

    /** An exec'd process's spec as containerd sends it. */
    public static com.google.protobuf.Any execProcess(List<String> args) {
        return TestSpecs.execProcess(args);
    }

    /** The busybox rootfs as the one mount a task's rootfs is made of. */
    public List<Mount> rootfsMounts() {
        return List.of(new Mount("bind", rootfs.toString(), List.of("rbind", "ro")));
    }

    public Syscalls sys() {
        return sys;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<Long> left;
        try {
            instances.forEach(ShimTasks::close);
            events.close();
        } finally {
            // a berth-shim server exits after its idle period (1 s in these tests), not on the last Shutdown; on a
            // loaded machine its JVM's exit took more than 5 s
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
            while (!ourProcesses().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            left = ourProcesses();
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            killCgroup();
            for (Path m : MountInfo.at(tmp)) {
                sys.unmount(m.toString(), 2);
            }
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            removeCgroups();
        }
        if (!left.isEmpty()) {
            throw new AssertionError("shim processes left behind: " + left);
        }
    }

    /** Processes whose command line names this sandbox's temp dir: the shims it started. */
    public List<Long> ourProcesses() throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(tmp.toString())) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }

    /** The processes in the containers' cgroups. */
    public List<Long> cgroupProcs() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path dir : cgroupDirs()) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path procs : walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).map(Long::parseLong)
                            .forEach(pids::add);
                }
            }
        }
        return pids;
    }

    private List<Path> cgroupDirs() throws IOException {
        Path mount = Path.of("/sys/fs/cgroup");
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(mount.resolve(cgroupParent))) {
            dirs.add(mount.resolve(cgroupParent));
        }
        try (Stream<Path> hierarchies = Files.list(mount)) {
            hierarchies.map(h -> h.resolve(cgroupParent)).filter(Files::isDirectory).forEach(dirs::add);
        }
        return dirs;
    }

    private void killCgroup() throws IOException {
        for (long pid : cgroupProcs()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private void removeCgroups() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50 && !cgroupDirs().isEmpty(); attempt++) {
            for (Path dir : cgroupDirs()) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path d : walk.filter(Files::isDirectory)
                            .sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                        try {
                            Files.deleteIfExists(d);
                        } catch (IOException e) {
                            // still has processes: retried
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
    }

    static String random() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
