package dev.berth.manager.task;

import dev.berth.log.Log;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
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
            List<Bundle> bundles = new ArrayList<>();
            for (Path dir : list(nsDir)) {
                if (Bundle.isLeftover(dir)) {
                    Bundle.purge(sys, dir);
                    cleaned.add(namespace + "/" + dir.getFileName());
                } else if (Files.isDirectory(dir) && !tasks.contains(namespace, dir.getFileName().toString())) {
                    bundles.add(Bundle.load(dir));
                }
            }
            try (ShimServers servers = new ShimServers(namespace)) {
                for (Reattached r : reattach(bundles, servers)) {
                    (r.live() ? reattached : cleaned).add(namespace + "/" + r.bundle().id());
                }
            }
            gate.recovered(namespace);
            LOG.debug("namespace recovered", "namespace", namespace);
        }
        return new Recovery(reattached, cleaned);
    }

    private record Reattached(Bundle bundle, boolean live) {}

    /** What asking a bundle's shim for its task found: its link, none (the shim answers without it), or why not. */
    private record Asked(Optional<ShimTask.Link> link, IOException failure) {}

    /**
     * Reattaches the tasks of one namespace's bundles: their shims are asked for all of them at once (State and
     * Connect), over one connection per shim server ({@link ShimServers}: with berth-shim's grouping every task of
     * a namespace lives in one server); what follows, for each in turn, is {@link #reattach(Bundle, Asked)}.
     */
    private List<Reattached> reattach(List<Bundle> bundles, ShimServers servers) throws IOException {
        List<java.util.concurrent.Future<Asked>> asked = new ArrayList<>(bundles.size());
        try (var calls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Bundle bundle : bundles) {
                asked.add(calls.submit(() -> ask(bundle, servers)));
            }
        } // closing waits for every call: ask throws nothing
        List<Reattached> out = new ArrayList<>(bundles.size());
        for (int i = 0; i < bundles.size(); i++) {
            Bundle bundle = bundles.get(i);
            out.add(new Reattached(bundle, reattach(bundle, asked.get(i).resultNow())));
        }
        return out;
    }

    /** Asks the shim at the bundle's address for its task; nothing to ask without an address or a binary. */
    private Asked ask(Bundle bundle, ShimServers servers) {
        try {
            Optional<String> address = bundle.address();
            if (address.isEmpty() || bundle.shimBinary().isEmpty()) {
                return new Asked(Optional.empty(), null);
            }
            ShimCall call = new ShimCall(bundle.shimBinary().get(), bundle.namespace(), bundle.id(), bundle.dir());
            return new Asked(reconnect.attach(call, address.get(), servers.handle(address.get())), null);
        } catch (IOException e) {
            return new Asked(Optional.empty(), e);
        }
    }

    /**
     * True if the bundle's shim answered and still knows the task, now live again; false once it is cleaned up. A
     * shim server that died while berthd was away is asked for again, as when it dies while berthd runs ({@link
     * ShimReconnect}): its group's new server takes the task over from its monitor.
     */
    private boolean reattach(Bundle bundle, Asked asked) throws IOException {
        Optional<String> address = bundle.address();
        Optional<Path> binary = bundle.shimBinary();
        ShimCall call = binary.map(b -> new ShimCall(b, bundle.namespace(), bundle.id(), bundle.dir())).orElse(null);
        // a shim that served and is gone ended its task; one that never served, or answers without it, had none
        boolean shimDied = address.isPresent();
        if (address.isPresent() && call != null) {
            // before a start: containerd's runc shim serves only once its log FIFO has a reader
            ShimLog log = ShimLog.open(sys, bundle.dir(), bundle.namespace(), bundle.id());
            Optional<ShimTask.Link> link = asked.link();
            if (asked.failure() == null) {
                shimDied = link.isPresent();
            } else {
                LOG.warn("shim of recovered task gone; asking its group for its shim again", asked.failure(),
                        "namespace", bundle.namespace(), "id", bundle.id(), "address", address.get());
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

    /**
     * The connections to the shim servers of one namespace's tasks while they are recovered, one per address,
     * opened at the first task that needs it; each task holds a handle of its own ({@link ShimClient#share}), so a
     * connection lives as long as one of its tasks does. A server that cannot be reached is tried once.
     */
    private final class ShimServers implements AutoCloseable {
        private final String namespace;
        private final java.util.Map<String, ShimClient> open = new java.util.HashMap<>();
        private final java.util.Map<String, IOException> unreachable = new java.util.HashMap<>();

        ShimServers(String namespace) {
            this.namespace = namespace;
        }

        /** A handle on the connection to the server at {@code address}. */
        synchronized ShimClient handle(String address) throws IOException {
            IOException failed = unreachable.get(address);
            if (failed != null) {
                throw failed;
            }
            ShimClient client = open.get(address);
            if (client == null) {
                try {
                    client = reconnect.connect(address, namespace);
                } catch (IOException e) {
                    unreachable.put(address, e);
                    throw e;
                }
                open.put(address, client);
            }
            return client.share();
        }

        /** Lets go of the connections' first handles: those no task holds close. */
        @Override
        public synchronized void close() {
            open.forEach((address, client) -> {
                try {
                    client.close();
                } catch (IOException e) {
                    LOG.debug("close shim connection", e, "namespace", namespace, "address", address);
                }
            });
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
