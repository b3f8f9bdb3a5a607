package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLauncher;
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

    private final ShimTasksConfig config;
    private final ShimLauncher launcher;
    private final Syscalls sys;
    private final TaskTable tasks;
    private final DeadShimCleanup deadShims;

    TaskRecovery(ShimTasksConfig config, ShimLauncher launcher, Syscalls sys, TaskTable tasks,
                 DeadShimCleanup deadShims) {
        this.config = config;
        this.launcher = launcher;
        this.sys = sys;
        this.tasks = tasks;
        this.deadShims = deadShims;
    }

    /** See {@link ShimTasks#recover}. */
    Recovery recover() throws IOException {
        List<String> reattached = new ArrayList<>();
        List<String> cleaned = new ArrayList<>();
        Path root = config.stateRoot().resolve(Bundle.RUNTIME_DIR);
        if (!Files.isDirectory(root)) {
            return new Recovery(reattached, cleaned);
        }
        for (Path nsDir : list(root)) {
            if (!Files.isDirectory(nsDir)) {
                continue;
            }
            for (Path dir : list(nsDir)) {
                String name = nsDir.getFileName() + "/" + dir.getFileName();
                if (Bundle.isLeftover(dir)) {
                    Bundle.purge(sys, dir);
                    cleaned.add(name);
                } else if (Files.isDirectory(dir)
                        && !tasks.contains(nsDir.getFileName().toString(), dir.getFileName().toString())) {
                    if (reattach(Bundle.load(dir))) {
                        reattached.add(name);
                    } else {
                        cleaned.add(name);
                    }
                }
            }
        }
        return new Recovery(reattached, cleaned);
    }

    /** True if the bundle's shim answers and still knows the task, now live again; false once it is cleaned up. */
    private boolean reattach(Bundle bundle) throws IOException {
        Optional<String> address = bundle.address();
        Optional<Path> binary = bundle.shimBinary();
        ShimCall call = binary.map(b -> new ShimCall(b, bundle.namespace(), bundle.id(), bundle.dir())).orElse(null);
        if (address.isPresent() && call != null) {
            ShimClient client = null;
            try {
                client = ShimClient.connect(address.get(), bundle.namespace(), config.callTimeout());
                client.state(bundle.id(), "");
                long shimPid = client.connect(bundle.id()).getShimPid();
                ShimLog log = ShimLog.open(sys, bundle.dir(), bundle.namespace(), bundle.id());
                ShimTask task = new ShimTask(bundle, call, address.get(), client, log, shimPid);
                tasks.add(task);
                deadShims.watch(task);
                LOG.info("task reattached", "namespace", bundle.namespace(), "id", bundle.id(), "shim_pid", shimPid,
                        "address", address.get());
                return true;
            } catch (IOException | BerthException e) {
                LOG.warn("shim of recovered task unusable; cleaning up", e, "namespace", bundle.namespace(), "id",
                        bundle.id(), "address", address.get());
                if (client != null) {
                    ShimClient c = client;
                    // a shim that answers but lost the task is asked to exit; it does only once it serves no task
                    if (e instanceof BerthException b && b.kind() == ErrorKind.NOT_FOUND) {
                        Cleanup.ignoring("shut down shim", call, () -> c.shutdown(bundle.id(), false));
                    }
                    Cleanup.ignoring("close shim client", call, c::close);
                }
            }
        }
        if (call != null) {
            Cleanup.ignoring("shim delete verb", call, () -> launcher.delete(call));
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
