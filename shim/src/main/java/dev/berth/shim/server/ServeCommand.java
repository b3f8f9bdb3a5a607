package dev.berth.shim.server;

import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.runtime.syscall.Syscalls;
import dev.berth.shim.process.Containers;
import dev.berth.shim.process.Reaper;
import dev.berth.shim.process.ReaperSyscalls;
import dev.berth.shim.metrics.MetricsFormat;
import dev.berth.shim.task.TaskService;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the long-lived shim. Becomes the child subreaper, starts the reaper and the event publisher,
 * serves the task service on the shim's socket, and after a Shutdown with no task left delivers the last events
 * and exits.
 */
final class ServeCommand {
    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());
    private static final Duration EVENTS_GRACE = Duration.ofSeconds(10);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final Syscalls linux;
    private final Path initBinary;

    ServeCommand(Syscalls linux, Path initBinary) {
        this.linux = linux;
        this.initBinary = initBinary;
    }

    int run(ShimFlags flags) throws IOException, InterruptedException {
        linux.setChildSubreaper();
        Path socket = flags.socketPath();
        String ttrpcAddress = System.getenv().getOrDefault("TTRPC_ADDRESS", "");
        CountDownLatch shutdown = new CountDownLatch(1);
        try (Reaper reaper = Reaper.start(linux, exit -> LOG.log(Level.DEBUG, "reaped orphan {0}", exit));
             EventPublisher events = EventPublisher.start(
                     ttrpcAddress.isEmpty() ? Optional.empty() : Optional.of(Path.of(ttrpcAddress)),
                     flags.namespace())) {
            Syscalls sys = new ReaperSyscalls(linux, reaper);
            Containers containers = new Containers(sys, reaper, events);
            TaskService tasks = new TaskService(containers, new Engines(sys, initBinary, flags.runtimeRoot()),
                    linux.getpid(), shutdown::countDown, flags.namespace(), MetricsFormat.detect(CGROUP_ROOT));
            TtrpcServer server = new TtrpcServer(List.of(tasks.service()));
            Files.deleteIfExists(socket);
            server.listen(socket);
            LOG.log(Level.INFO, "serving task {0} in namespace {1} on {2}", flags.id(), flags.namespace(), socket);
            shutdown.await();
            server.shutdown(Duration.ofSeconds(1));
            if (!events.drain(EVENTS_GRACE)) {
                LOG.log(Level.WARNING, "exiting with undelivered events for task {0}", flags.id());
            }
        }
        return 0;
    }
}
