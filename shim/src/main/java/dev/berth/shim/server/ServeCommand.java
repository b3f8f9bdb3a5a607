package dev.berth.shim.server;

import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.log.Log;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.metrics.MetricsFormat;
import dev.berth.shim.process.Containers;
import dev.berth.shim.process.Monitors;
import dev.berth.shim.process.Reaper;
import dev.berth.shim.process.ReaperSyscalls;
import dev.berth.shim.task.TaskService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code serve}: the long-lived shim server of a group of tasks ({@link ShimGroup}: by default every task of the
 * namespace). Claims the group's socket ({@link ShimSocket}: it listens, or finds the group's server already
 * serving), and reports the address on the ready fd that {@code berth-shim-start} reads. If the group's server
 * serves, it exits there. Otherwise it becomes the child subreaper, starts the reaper and the event publisher,
 * serves the task service for as many tasks as it is given, and exits once it has served none for its idle period
 * ({@link IdleExit}): it removes its socket, delivers the last events and exits.
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
        ShimGroup group;
        ShimSocket.Claim claim;
        try {
            group = ShimGroup.of(flags.bundleDir(), flags.namespace(), flags.id(), settings.environment());
            claim = ShimSocket.claim(flags.socketPath(group));
        } catch (IOException | IllegalArgumentException e) {
            report(flags, "start " + flags.id() + ": " + e.getMessage());
            throw e;
        }
        if (claim instanceof ShimSocket.Joined joined) {
            LOG.info("task joins the shim server of its group", "id", flags.id(), "group", group.name(), "socket",
                    joined.path());
            report(flags, joined.address());
            return 0;
        }
        ShimSocket.Listening socket = (ShimSocket.Listening) claim;
        linux.setChildSubreaper();
        try (Reaper reaper = Reaper.start(linux, exit -> LOG.debug("reaped orphan", "exit", exit));
             EventPublisher events = EventPublisher.start(
                     ttrpcAddress.isEmpty() ? Optional.empty() : Optional.of(Path.of(ttrpcAddress)),
                     flags.namespace())) {
            Syscalls sys = linux.withProcesses(new ReaperSyscalls(linux, reaper));
            Monitors monitors = new Monitors(linux, sys, settings.monitorBinary(),
                    socket.path().resolveSibling(socket.path().getFileName() + ".m"));
            Containers containers = new Containers(sys, monitors, events);
            IdleExit life = new IdleExit(socket.path(), settings.idle(), containers::closeIfEmpty,
                    Clock.systemUTC());
            TaskService tasks = new TaskService(containers, new Engines(sys, settings, flags.runtimeRoot()),
                    linux.getpid(), life::shutdownAsked, flags.namespace(), MetricsFormat.detect(CGROUP_ROOT),
                    group.scope().name().toLowerCase(java.util.Locale.ROOT));
            int adopted = tasks.adoptAll();
            if (adopted > 0) {
                LOG.info("took over the containers of the group's earlier server", "containers", adopted);
            }
            TtrpcServer server = new TtrpcServer(List.of(tasks.service()));
            server.serve(socket.channel());
            report(flags, socket.address());
            LOG.info("serving", "namespace", flags.namespace(), "group", group.name(), "scope", group.scope(),
                    "socket", socket.path());
            life.await(() -> !containers.isEmpty(), group.scope() == ShimGroup.Scope.CONTAINER);
            server.shutdown(Duration.ofSeconds(1));
            if (!events.drain(EVENTS_GRACE)) {
                LOG.warn("exiting with undelivered events", "namespace", flags.namespace(), "group", group.name());
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
