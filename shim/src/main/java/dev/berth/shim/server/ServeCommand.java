package dev.berth.shim.server;

import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.log.Log;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.metrics.MetricsFormat;
import dev.berth.shim.process.Containers;
import dev.berth.shim.process.Reaper;
import dev.berth.shim.process.ReaperSyscalls;
import dev.berth.shim.task.TaskService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the long-lived shim. Claims the task's socket ({@link ShimSocket}: its own, or its group's when
 * that shim already serves), and reports the address on the ready fd that {@code berth-shim-start} reads. If it
 * joined a group, it exits there. Otherwise it becomes the child subreaper, starts the reaper and the event
 * publisher, serves the task service, and after a Shutdown with no task left delivers the last events and exits.
 */
final class ServeCommand {
    private static final Log LOG = Log.of(ServeCommand.class);
    private static final Duration EVENTS_GRACE = Duration.ofSeconds(10);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final Syscalls linux;
    private final ShimSettings settings;

    ServeCommand(Syscalls linux, ShimSettings settings) {
        this.linux = linux;
        this.settings = settings;
    }

    /** @param ttrpcAddress containerd's ttrpc socket for events ({@code TTRPC_ADDRESS}); empty for none */
    int run(ShimFlags flags, String ttrpcAddress) throws IOException, InterruptedException {
        ShimFlags task;
        ShimSocket.Claim claim;
        try {
            task = ShimGroup.of(flags.bundleDir()).map(flags::withGroup).orElse(flags);
            claim = ShimSocket.claim(task.socketPath());
        } catch (IOException | IllegalArgumentException e) {
            report(flags, "start " + flags.id() + ": " + e.getMessage());
            throw e;
        }
        if (claim instanceof ShimSocket.Joined joined) {
            LOG.info("task joins the shim of its group", "id", flags.id(), "group", task.group().orElse(""),
                    "socket", joined.path());
            report(flags, joined.address());
            return 0;
        }
        ShimSocket.Listening socket = (ShimSocket.Listening) claim;
        linux.setChildSubreaper();
        CountDownLatch shutdown = new CountDownLatch(1);
        try (Reaper reaper = Reaper.start(linux, exit -> LOG.debug("reaped orphan", "exit", exit));
             EventPublisher events = EventPublisher.start(
                     ttrpcAddress.isEmpty() ? Optional.empty() : Optional.of(Path.of(ttrpcAddress)),
                     flags.namespace())) {
            Syscalls sys = linux.withProcesses(new ReaperSyscalls(linux, reaper));
            Containers containers = new Containers(sys, reaper, events);
            TaskService tasks = new TaskService(containers, new Engines(sys, settings, flags.runtimeRoot()),
                    linux.getpid(), shutdown::countDown, flags.namespace(), MetricsFormat.detect(CGROUP_ROOT));
            TtrpcServer server = new TtrpcServer(List.of(tasks.service()));
            server.serve(socket.channel());
            report(flags, socket.address());
            LOG.info("serving task", "namespace", flags.namespace(), "id", flags.id(), "socket", socket.path());
            shutdown.await();
            server.shutdown(Duration.ofSeconds(1));
            Files.deleteIfExists(socket.path());
            if (!events.drain(EVENTS_GRACE)) {
                LOG.warn("exiting with undelivered events", "namespace", flags.namespace(), "id", flags.id());
            }
        }
        return 0;
    }

    /**
     * Writes one line to the ready fd and closes it: the address ({@code unix://…}), which {@code berth-shim-start}
     * prints for containerd, or else why there is none, which it prints as its error. Without a ready fd (the shim
     * run by hand or by the AOT training) there is no one to tell.
     */
    private void report(ShimFlags flags, String line) throws IOException {
        if (flags.readyFd().isEmpty()) {
            return;
        }
        int fd = flags.readyFd().getAsInt();
        try {
            linux.writeFully(fd, (line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            linux.close(fd);
        } catch (SyscallException e) {
            // start gave up (or was killed): no one will connect to this shim
            throw new IOException("report to start: " + e.getMessage(), e);
        }
    }
}
