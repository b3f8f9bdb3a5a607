package dev.berth.manager.task;

import dev.berth.log.Log;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimLog;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Takes back the tasks of an earlier berthd from the bundles under the state root, cleaning up the rest. */
final class TaskRecovery {
    private static final Log LOG = Log.of(TaskRecovery.class);

    private final Path stateRoot;
    private final ShimLauncher launcher;
    private final Syscalls sys;
    private final TaskTable tasks;
    private final DeadShimCleanup deadShims;
    private final ShimReconnect reconnect;
    private final LostTaskExits lostExits;

    TaskRecovery(Path stateRoot, ShimLauncher launcher, Syscalls sys, TaskTable tasks, DeadShimCleanup deadShims,
                 ShimReconnect reconnect, LostTaskExits lostExits) {
        this.stateRoot = stateRoot;
        this.launcher = launcher;
        this.sys = sys;
        this.tasks = tasks;
        this.deadShims = deadShims;
        this.reconnect = reconnect;
        this.lostExits = lostExits;
    }

    /**
     * See {@link ShimTasks#recover}: namespace after namespace, each let through {@code gate} once its tasks are
     * back; on a failure every namespace still held is let through with it.
     */
    Recovery recover(RecoveryGate gate) throws IOException {
        try {
            return recoverAll(gate);
        } catch (IOException | RuntimeException e) {
            gate.failed(e);
            throw e;
        }
    }

    private Recovery recoverAll(RecoveryGate gate) throws IOException {
        List<String> reattached = new ArrayList<>();
        List<String> cleaned = new ArrayList<>();
        Path root = stateRoot.resolve(Bundle.RUNTIME_DIR);
        List<Path> namespaces = Files.isDirectory(root)
                ? list(root).stream().filter(Files::isDirectory).toList() : List.of();
        gate.listed(namespaces.stream().map(d -> d.getFileName().toString()).toList());
        for (Path nsDir : namespaces) {
            String namespace = nsDir.getFileName().toString();
            for (Path dir : list(nsDir)) {
                String name = namespace + "/" + dir.getFileName();
                if (Bundle.isLeftover(dir)) {
                    Bundle.purge(sys, dir);
                    cleaned.add(name);
                } else if (Files.isDirectory(dir) && !tasks.contains(namespace, dir.getFileName().toString())) {
                    if (reattach(Bundle.load(dir))) {
                        reattached.add(name);
                    } else {
                        cleaned.add(name);
                    }
                }
            }
            gate.recovered(namespace);
            LOG.debug("namespace recovered", "namespace", namespace);
        }
        return new Recovery(reattached, cleaned);
    }

    /**
     * True if the bundle's shim answers and still knows the task, now live again; false once it is cleaned up. A
     * shim server that died while berthd was away is asked for again, as when it dies while berthd runs ({@link
     * ShimReconnect}): its group's new server takes the task over from its monitor.
     */
    private boolean reattach(Bundle bundle) throws IOException {
        Optional<String> address = bundle.address();
        Optional<Path> binary = bundle.shimBinary();
        ShimCall call = binary.map(b -> new ShimCall(b, bundle.namespace(), bundle.id(), bundle.dir())).orElse(null);
        // a shim that served and is gone ended its task; one that never served, or answers without it, had none
        boolean shimDied = address.isPresent();
        if (address.isPresent() && call != null) {
            // before a start: containerd's runc shim serves only once its log FIFO has a reader
            ShimLog log = ShimLog.open(sys, bundle.dir(), bundle.namespace(), bundle.id());
            Optional<ShimTask.Link> link;
            try {
                link = reconnect.attach(call, address.get());
                shimDied = link.isPresent();
            } catch (IOException e) {
                LOG.warn("shim of recovered task gone; asking its group for its shim again", e, "namespace",
                        bundle.namespace(), "id", bundle.id(), "address", address.get());
                link = reconnect.reconnect(call, address.get(), 0);
            }
            if (link.isEmpty()) {
                log.close();
            } else {
                ShimTask task = new ShimTask(bundle, call, link.get(), log);
                tasks.add(task);
                deadShims.watch(task);
                LOG.info("task reattached", "namespace", bundle.namespace(), "id", bundle.id(), "shim_pid",
                        link.get().shimPid(), "address", link.get().address());
                return true;
            }
        }
        if (call != null) {
            boolean ended = shimDied;
            Cleanup.ignoring("shim delete verb", call, () -> {
                ProcessExit exit = launcher.delete(call);
                if (ended) {
                    lostExits.keep(bundle.namespace(), bundle.id(), exit);
                }
            });
        }
        bundle.delete(sys);
        LOG.info("task of earlier berthd cleaned up", "namespace", bundle.namespace(), "id", bundle.id());
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
