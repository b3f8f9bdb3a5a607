package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
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

/** Creates a task: writes its bundle, launches its shim and has the shim create it, or leaves nothing behind. */
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

    TaskCreator(ShimTasksConfig config, ShimLauncher launcher, Syscalls sys, TaskTable tasks, ShimTeardown teardown,
                DeadShimCleanup deadShims) {
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
        long shimPid = 0;
        try {
            started = launcher.start(call, request.options());
            client = ShimClient.connect(started.address(), call.namespace(), config.callTimeout());
            shimPid = client.connect(call.id()).getShimPid();
            int pid = client.create(createRequest(call, request));
            return new Launched(new ShimTask(bundle, call, new ShimTask.Link(started.address(), client, shimPid), started.log()), pid);
        } catch (IOException | RuntimeException e) {
            undoLaunch(bundle, call, started, client, shimPid);
            if (e instanceof BerthException b) {
                throw new BerthException(b.kind(), what + ": " + b.getMessage(), b);
            }
            throw e;
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

    /** Leaves nothing of a create that failed: the task in the shim, the shim, its runtime state, the bundle. */
    private void undoLaunch(Bundle bundle, ShimCall call, ShimLauncher.Started started, ShimClient client,
                            long shimPid) {
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
