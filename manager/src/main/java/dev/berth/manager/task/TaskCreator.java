package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.log.Log;
import dev.berth.manager.identifiers.Identifiers;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates a task: writes its bundle, launches its shim (or joins the server known to serve its group, {@link
 * GroupServers}) and has the shim create it, or leaves nothing behind.
 */
final class TaskCreator {
    private static final Log LOG = Log.of(TaskCreator.class);
    private static final int SIGKILL = 9;

    private record Launched(ShimTask task, int pid) {}

    private final ShimTasksConfig config;
    private final ShimLauncher launcher;
    private final Syscalls sys;
    private final TaskTable tasks;
    private final ShimTeardown teardown;
    private final DeadShimCleanup deadShims;
    private final GroupServers servers;

    TaskCreator(ShimTasksConfig config, ShimLauncher launcher, Syscalls sys, TaskTable tasks, ShimTeardown teardown,
                DeadShimCleanup deadShims, GroupServers servers) {
        this.servers = servers;
        this.config = config;
        this.launcher = launcher;
        this.sys = sys;
        this.tasks = tasks;
        this.teardown = teardown;
        this.deadShims = deadShims;
    }

    /** See {@link Tasks#create}. */
    int create(TaskCreate request) throws IOException {
        String ns = request.namespace();
        String id = request.containerId();
        String what = "create task " + ns + "/" + id;
        Identifiers.validate(what, ns, id);
        tasks.checkOpen(what);
        Path binary = request.runtime().isEmpty() ? config.binaries().resolve(ShimBinaries.RUNC_V2)
                : config.binaries().resolve(request.runtime());
        tasks.reserve(what, ns, id);
        try {
            if (tasks.contains(ns, id)) {
                throw BerthException.alreadyExists(what + ": already exists");
            }
            Bundle bundle = Bundle.create(config.stateRoot(), ns, id, request.spec());
            Launched launched = launch(bundle, new ShimCall(binary, ns, id, bundle.dir()), request);
            tasks.add(launched.task());
            deadShims.watch(launched.task());
            LOG.info("task created", "namespace", ns, "id", id, "pid", launched.pid(), "runtime",
                    request.runtime().isEmpty() ? ShimBinaries.RUNC_V2 : request.runtime(),
                    "shim_pid", launched.task().shimPid());
            return launched.pid();
        } finally {
            tasks.release(ns, id);
        }
    }

    private Launched launch(Bundle bundle, ShimCall call, TaskCreate request) throws IOException {
        String what = "create task " + call.namespace() + "/" + call.id();
        ShimLauncher.Started started = null;
        ShimClient client = null;
        ConnectResponse hello = null;
        try {
            Optional<String> known = servers.serving(call.binary(), call.namespace(), request.spec());
            if (known.isPresent()) {
                started = launcher.join(call, known.get());
                client = connectIfServing(call, started.address());
                if (client != null) {
                    try {
                        hello = client.connect(call.id());
                        return launched(bundle, call, started, client, hello, client.create(createRequest(call,
                                request)));
                    } catch (BerthException e) {
                        if (e.kind() != ErrorKind.UNAVAILABLE) {
                            throw e;
                        }
                        // the server is exiting, or its connection broke: it took no task
                        LOG.debug("shim server of the group is gone; running start", "namespace", call.namespace(),
                                "id", call.id(), "address", started.address(), "error", e.getMessage());
                        Cleanup.ignoring("close shim client", call, client::close);
                        client = null;
                        hello = null;
                    }
                }
                servers.forget(call.binary(), call.namespace(), started.address());
                started = null; // as if the task had not joined: start writes the bundle's files again
            }
            started = launcher.start(call, request.options());
            client = ShimClient.connect(started.address(), call.namespace(), config.callTimeout());
            hello = client.connect(call.id());
            Launched launched = launched(bundle, call, started, client, hello, client.create(createRequest(call,
                    request)));
            servers.learn(call.binary(), call.namespace(), started.address(), hello.getVersion());
            return launched;
        } catch (IOException | RuntimeException e) {
            undoLaunch(bundle, call, started, client, hello);
            if (e instanceof BerthException b) {
                throw new BerthException(b.kind(), what + ": " + b.getMessage(), b);
            }
            throw e;
        }
    }

    private static Launched launched(Bundle bundle, ShimCall call, ShimLauncher.Started started, ShimClient client,
                                     ConnectResponse hello, int pid) {
        return new Launched(new ShimTask(bundle, call, new ShimTask.Link(started.address(), client,
                hello.getShimPid()), started.log()), pid);
    }

    /** A connection to the server at {@code address}; null if nothing accepts there any more. */
    private ShimClient connectIfServing(ShimCall call, String address) {
        try {
            return ShimClient.connect(address, call.namespace(), config.callTimeout());
        } catch (IOException e) {
            LOG.debug("shim server of the group does not accept; running start", "namespace", call.namespace(),
                    "id", call.id(), "address", address, "error", e.getMessage());
            return null;
        }
    }

    private static CreateTaskRequest createRequest(ShimCall call, TaskCreate request) {
        CreateTaskRequest.Builder b = CreateTaskRequest.newBuilder().setId(call.id())
                .setBundle(call.bundle().toString()).setTerminal(request.stdio().terminal())
                .setStdin(request.stdio().stdin()).setStdout(request.stdio().stdout())
                .setStderr(request.stdio().stderr());
        for (Mount m : request.rootfs()) {
            b.addRootfs(dev.berth.api.types.Mount.newBuilder().setType(m.type()).setSource(m.source())
                    .addAllOptions(m.options()));
        }
        request.options().ifPresent(b::setOptions);
        return b.build();
    }

    /**
     * Leaves nothing of a create that failed: the task in the shim, the shim (unless it is a server shared by its
     * group, which stays for the group's other and next tasks), its runtime state, the bundle.
     */
    private void undoLaunch(Bundle bundle, ShimCall call, ShimLauncher.Started started, ShimClient client,
                            ConnectResponse hello) {
        long shimPid = hello == null || GroupServers.shared(hello.getVersion()) ? 0 : hello.getShimPid();
        if (client != null) {
            Cleanup.ignoring("delete failed task", call, () -> client.delete(call.id(), ""));
            Cleanup.ignoring("shut down shim", call, () -> client.shutdown(call.id(), false));
            Cleanup.ignoring("close shim client", call, client::close);
        }
        if (shimPid != 0 && !teardown.awaitExit(shimPid)) {
            LOG.warn("shim of failed task still running; killing it", "namespace", call.namespace(), "id",
                    call.id(), "shim_pid", shimPid);
            Cleanup.ignoring("kill shim", call, () -> sys.kill((int) shimPid, SIGKILL));
            teardown.awaitExit(shimPid);
        }
        if (started != null) {
            Cleanup.ignoring("shim delete verb", call, () -> launcher.delete(call));
            started.log().close();
        }
        Cleanup.ignoring("remove bundle", call, () -> bundle.delete(sys));
    }
}
