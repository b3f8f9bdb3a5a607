package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.AttachRequest;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecRef;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.KillContainerRequest;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RenameContainerRequest;
import dev.berth.api.services.engine.v1.ResizeRequest;
import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.TopRequest;
import dev.berth.api.services.engine.v1.TopResponse;
import dev.berth.api.services.engine.v1.TopRow;
import dev.berth.api.services.engine.v1.UpdateContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.ExecConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.NetworkingConfig;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * docker's container operations through berthd's engine. A container is named by its name, its id or an
 * unambiguous id prefix. Configurations are docker's records ({@link ContainerConfig}, {@link HostConfig});
 * inspect and list answer docker's JSON documents as they are.
 */
public final class Containers {
    private final Stubs stubs;

    Containers(Stubs stubs) {
        this.stubs = stubs;
    }

    /** Records a container; {@code name} may be empty (docker generates one). Nothing is left on failure. */
    public Results.Created create(String name, ContainerConfig config, HostConfig host) {
        return create(name, config, host, NetworkingConfig.EMPTY);
    }

    /** {@link #create} with docker's {@code NetworkingConfig}: aliases and {@code --ip} per network. */
    public Results.Created create(String name, ContainerConfig config, HostConfig host, NetworkingConfig networking) {
        CreateContainerRequest.Builder req = CreateContainerRequest.newBuilder()
                .setName(name == null ? "" : name)
                .setConfig(ByteString.copyFrom(DockerJson.write(config)))
                .setHostConfig(ByteString.copyFrom(DockerJson.write(host == null ? HostConfig.EMPTY : host)));
        if (networking != null && !networking.endpointsConfig().isEmpty()) {
            req.setNetworkingConfig(ByteString.copyFrom(DockerJson.write(networking)));
        }
        CreateContainerResponse r = Calls.call(() -> stubs.containers().create(req.build()));
        return new Results.Created(r.getId(), r.getWarningsList());
    }

    /** Starts the container; false if it was running already (the Docker API's 304). */
    public boolean start(String id) {
        return !Calls.call(() -> stubs.containers().start(ref(id))).getAlreadyRunning();
    }

    /** Creates and starts a container in the background: docker's {@code run -d}. Its id. */
    public String run(String name, ContainerConfig config, HostConfig host) {
        String id = create(name, config, host).id();
        try {
            start(id);
        } catch (DaemonException e) {
            if (host != null && Boolean.TRUE.equals(host.autoRemove())) {
                removeQuietly(id);
            }
            throw e;
        }
        return id;
    }

    /**
     * docker's attached {@code run}: create, attach, register the wait, start, copy the output until the streams
     * end, and answer the exit status. {@code stdin} is sent when the configuration opens stdin. An
     * {@code AutoRemove} container is gone when this returns.
     */
    public int run(String name, ContainerConfig config, HostConfig host, InputStream stdin, OutputStream stdout,
                   OutputStream stderr) throws InterruptedException {
        boolean autoRemove = host != null && Boolean.TRUE.equals(host.autoRemove());
        String id = create(name, config, host).id();
        boolean openStdin = Boolean.TRUE.equals(config.openStdin());
        Attachment attached = null;
        try {
            AttachedWait set = attachAndWait(id, new Options.Attach(openStdin, true, true, false, ""),
                    autoRemove ? "removed" : "next-exit");
            attached = set.attachment();
            Waiter waiter = set.waiter();
            try {
                start(id);
            } catch (DaemonException e) {
                if (autoRemove) {
                    removeQuietly(id);
                }
                throw e;
            }
            if (openStdin && stdin != null) {
                attached.sendStdin(stdin);
            }
            attached.copyTo(stdout, stderr);
            return waiter.await();
        } finally {
            if (attached != null) {
                attached.close();
            }
        }
    }

    /** An attachment and a wait, both in place in berthd before the container starts. */
    public record AttachedWait(Attachment attachment, Waiter waiter) {
    }

    /**
     * docker's {@code run} before its start: attaches to the container's streams and registers the wait for
     * {@code condition} at once (both requests go out together, on one connection) and returns when berthd has
     * confirmed both, so a start that follows can miss neither output nor the exit, for one round trip instead of
     * two. A failure of either closes the attachment.
     */
    public AttachedWait attachAndWait(String id, Options.Attach options, String condition) {
        Attachment attachment = openAttach(id, options);
        try {
            Waiter waiter = waitFor(id, condition); // returns when berthd has registered it
            attachment.awaitInPlace();
            return new AttachedWait(attachment, waiter);
        } catch (RuntimeException e) {
            attachment.close();
            throw e;
        }
    }

    public StopResult stop(String id, Optional<Integer> timeoutSeconds) {
        StopContainerRequest.Builder b = StopContainerRequest.newBuilder().setId(id);
        timeoutSeconds.ifPresent(b::setTimeoutSeconds);
        boolean already = Calls.call(() -> stubs.containers().stop(b.build())).getAlreadyStopped();
        return already ? StopResult.ALREADY_STOPPED : StopResult.STOPPED;
    }

    /** Whether a stop found the container running. */
    public enum StopResult { STOPPED, ALREADY_STOPPED }

    public void restart(String id, Optional<Integer> timeoutSeconds) {
        StopContainerRequest.Builder b = StopContainerRequest.newBuilder().setId(id);
        timeoutSeconds.ifPresent(b::setTimeoutSeconds);
        Calls.call(() -> stubs.containers().restart(b.build()));
    }

    /** Sends {@code signal} (a name such as {@code TERM}, or a number; empty for SIGKILL). */
    public void kill(String id, String signal) {
        Calls.call(() -> stubs.containers().kill(KillContainerRequest.newBuilder().setId(id)
                .setSignal(signal == null ? "" : signal).build()));
    }

    public void remove(String id, Options.Remove options) {
        Calls.call(() -> stubs.containers().remove(RemoveContainerRequest.newBuilder().setId(id)
                .setForce(options.force()).setVolumes(options.volumes()).build()));
    }

    private void removeQuietly(String id) {
        try {
            remove(id, new Options.Remove(true, true));
        } catch (DaemonException e) {
            // the daemon removed it already (AutoRemove), or cannot: the first failure is what the caller sees
        }
    }

    /**
     * Registers a wait for {@code condition} ("not-running", "next-exit", "removed"; empty for "not-running")
     * and returns once berthd confirmed it is in place.
     */
    public Waiter waitFor(String id, String condition) {
        Iterator<dev.berth.api.services.engine.v1.WaitContainerResponse> responses = Calls.call(() ->
                stubs.containers().wait(WaitContainerRequest.newBuilder().setId(id)
                        .setCondition(condition == null ? "" : condition).build()));
        return new Waiter(responses);
    }

    /** Waits until the container is not running; its exit status (docker's {@code wait}). */
    public int await(String id) {
        return waitFor(id, "not-running").await();
    }

    /** docker's container JSON ({@code Id}, {@code Name}, {@code State}, {@code Config}, {@code HostConfig}, …). */
    public JsonNode inspect(String id) {
        return Calls.json(Calls.call(() -> stubs.containers().inspect(ref(id))));
    }

    /** docker's container summaries: a JSON array. */
    public JsonNode list(Options.ListContainers options) {
        return Calls.json(Calls.call(() -> stubs.containers().list(ListContainersRequest.newBuilder()
                .setAll(options.all()).putAllFilters(Calls.filters(options.filters())).setLimit(options.limit())
                .setSize(options.size()).build())));
    }

    public void rename(String id, String name) {
        Calls.call(() -> stubs.containers().rename(RenameContainerRequest.newBuilder().setId(id).setName(name)
                .build()));
    }

    public void pause(String id) {
        Calls.call(() -> stubs.containers().pause(ref(id)));
    }

    public void unpause(String id) {
        Calls.call(() -> stubs.containers().unpause(ref(id)));
    }

    /** Changes resources and the restart policy (docker's UpdateConfig); the daemon's warnings. */
    public List<String> update(String id, Map<String, Object> update) {
        return Calls.call(() -> stubs.containers().update(UpdateContainerRequest.newBuilder().setId(id)
                .setUpdate(ByteString.copyFrom(DockerJson.write(update))).build())).getWarningsList();
    }

    /** The container's processes; {@code psArgs} empty for docker's {@code -ef}. */
    public Results.Top top(String id, String psArgs) {
        TopResponse r = Calls.call(() -> stubs.containers().top(TopRequest.newBuilder().setId(id)
                .setPsArgs(psArgs == null ? "" : psArgs).build()));
        return new Results.Top(List.copyOf(r.getTitlesList()),
                r.getProcessesList().stream().map(TopRow::getColumnsList).map(List::copyOf).toList());
    }

    /**
     * docker's stats JSON: one a second while {@code stream} (close the stream to stop; it ends when the container
     * stops), else one document: two samples a second apart (precpu filled, as {@code docker stats --no-stream}).
     */
    public Stream<JsonNode> stats(String id, boolean stream) {
        return stats(id, stream, false);
    }

    /** {@link #stats(String, boolean)}; {@code oneShot} without {@code stream}: one sample at once, precpu empty. */
    public Stream<JsonNode> stats(String id, boolean stream, boolean oneShot) {
        return Calls.stream(() -> stubs.containers().stats(StatsRequest.newBuilder().setId(id).setStream(stream)
                .setOneShot(oneShot).build()), Calls::json);
    }

    /** The published ports: docker's {@code NetworkSettings.Ports} map. */
    public JsonNode port(String id) {
        return Calls.json(Calls.call(() -> stubs.containers().port(ref(id))));
    }

    /** The rootfs's changes against the image: docker's [{Path, Kind}]. */
    public JsonNode changes(String id) {
        return Calls.json(Calls.call(() -> stubs.containers().changes(ref(id))));
    }

    /** Removes the stopped containers (docker's filters: until, label). */
    public Results.Pruned prune(Map<String, List<String>> filters) {
        PruneResponse r = Calls.call(() -> stubs.containers().prune(PruneRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build()));
        return new Results.Pruned(List.copyOf(r.getDeletedList()), r.getSpaceReclaimed());
    }

    /** The container's log, oldest first; with {@code follow}, then what it writes next: close to stop. */
    public Stream<Output> logs(String id, Options.Logs options) {
        LogsRequest.Builder b = LogsRequest.newBuilder().setId(id).setFollow(options.follow())
                .setStdout(options.stdout()).setStderr(options.stderr());
        options.tail().ifPresent(b::setTail);
        options.since().ifPresent(t -> b.setSince(timestamp(t)));
        options.until().ifPresent(t -> b.setUntil(timestamp(t)));
        return Calls.stream(() -> stubs.containers().logs(b.build()), Output::of);
    }

    /**
     * Attaches to the container's streams (before or after it starts); returns once the engine has the attach in
     * place, so a start that follows misses no output.
     */
    public Attachment attach(String id, Options.Attach options) {
        return openAttach(id, options).awaitInPlace();
    }

    /** Sends the attach request; the attachment is in place once {@link Attachment#awaitInPlace} returned. */
    private Attachment openAttach(String id, Options.Attach options) {
        AttachInput first = AttachInput.newBuilder().setStart(AttachRequest.newBuilder().setId(id)
                .setStdin(options.stdin()).setStdout(options.stdout()).setStderr(options.stderr())
                .setLogs(options.logs()).setDetachKeys(options.detachKeys())).build();
        return Attachment.open((StreamObserver<dev.berth.api.services.engine.v1.OutputChunk> r) ->
                        stubs.containersAsync().attach(r), first,
                data -> AttachInput.newBuilder().setStdin(ByteString.copyFrom(data)).build(),
                AttachInput.newBuilder().setCloseStdin(true).build());
    }

    /** The terminal size of the container's tty. */
    public void resize(String id, int width, int height) {
        Calls.call(() -> stubs.containers().resize(ResizeRequest.newBuilder().setId(id).setWidth(width)
                .setHeight(height).build()));
    }

    /** Creates an exec process in a running container; its exec id. */
    public String execCreate(String container, ExecConfig config) {
        return Calls.call(() -> stubs.containers().execCreate(ExecCreateRequest.newBuilder().setContainer(container)
                .setConfig(ByteString.copyFrom(DockerJson.write(config))).build())).getId();
    }

    /** Starts an exec process, attached: its output, and its exit code on the stream's last message. */
    public Attachment execStart(String execId, boolean tty) {
        return execStart(execId, tty, "");
    }

    /**
     * {@link #execStart(String, boolean)} with docker's detach keys (e.g. {@code "ctrl-p,ctrl-q"}; empty for the
     * exec's own, else the default): on a terminal, the engine ends the stream when it reads them on stdin.
     */
    public Attachment execStart(String execId, boolean tty, String detachKeys) {
        ExecInput first = ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(execId).setTty(tty)
                .setDetachKeys(detachKeys == null ? "" : detachKeys)).build();
        return Attachment.open((StreamObserver<dev.berth.api.services.engine.v1.OutputChunk> r) ->
                        stubs.containersAsync().execStart(r), first,
                data -> ExecInput.newBuilder().setStdin(ByteString.copyFrom(data)).build(),
                ExecInput.newBuilder().setCloseStdin(true).build());
    }

    /** Starts an exec process detached ({@code exec -d}): it runs on, its output unread. */
    public void execStartDetached(String execId) throws InterruptedException {
        ExecInput first = ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(execId).setDetach(true))
                .build();
        try (Attachment a = Attachment.open((StreamObserver<dev.berth.api.services.engine.v1.OutputChunk> r) ->
                        stubs.containersAsync().execStart(r), first,
                data -> ExecInput.newBuilder().setStdin(ByteString.copyFrom(data)).build(),
                ExecInput.newBuilder().setCloseStdin(true).build())) {
            a.copyTo(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        }
    }

    /** docker's {@code exec}: create and start, attached. */
    public Attachment exec(String container, ExecConfig config) {
        return execStart(execCreate(container, config), Boolean.TRUE.equals(config.tty()));
    }

    /** docker's exec JSON (ID, Running, ExitCode, Pid, ProcessConfig, …). */
    public JsonNode execInspect(String execId) {
        return Calls.json(Calls.call(() -> stubs.containers().execInspect(ExecRef.newBuilder().setId(execId)
                .build())));
    }

    public void execResize(String execId, int width, int height) {
        Calls.call(() -> stubs.containers().execResize(ResizeRequest.newBuilder().setId(execId).setWidth(width)
                .setHeight(height).build()));
    }

    /** docker's PathStat of {@code path} in the container ({@code name, size, mode, mtime, linkTarget}). */
    public JsonNode statPath(String id, String path) {
        return Calls.json(Calls.call(() -> stubs.containers().archiveStat(archivePath(id, path))));
    }

    /** {@code path} of the container as a tar stream ({@code docker cp CONTAINER:PATH -}). */
    public Results.Archive copyFrom(String id, String path) {
        Stream<ArchiveChunk> chunks = Calls.stream(() -> stubs.containers().archiveGet(archivePath(id, path)),
                c -> c);
        Iterator<ArchiveChunk> it = chunks.iterator();
        if (!it.hasNext()) {
            chunks.close();
            throw new DaemonException(dev.berth.api.errdefs.ErrorKind.UNKNOWN,
                    "copy from " + id + ":" + path + ": the daemon sent nothing", false, null);
        }
        ArchiveChunk first = it.next();
        JsonNode stat = first.getStat().isEmpty() ? DockerJson.mapper().createObjectNode()
                : Calls.json(first.getStat().toByteArray());
        return new Results.Archive(stat, new ChunkInputStream(first.getData(), it, chunks::close));
    }

    /** Extracts the tar stream {@code tar} into directory {@code dir} of the container. */
    public void copyTo(String id, String dir, InputStream tar, Options.CopyTo options) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<dev.berth.api.services.engine.v1.Empty> response = new StreamObserver<>() {
            @Override
            public void onNext(dev.berth.api.services.engine.v1.Empty value) {
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
        StreamObserver<ArchiveChunk> requests = Calls.call(() -> stubs.containersAsync().archivePut(response));
        try {
            byte[] buf = new byte[1 << 20];
            ArchiveChunk.Builder first = ArchiveChunk.newBuilder().setTarget(archivePath(id, dir))
                    .setNoOverwriteDirNonDir(options.noOverwriteDirNonDir()).setCopyUidGid(options.copyUidGid());
            boolean sent = false;
            for (int n; (n = tar.readNBytes(buf, 0, buf.length)) > 0 && !done.isDone(); ) {
                ArchiveChunk.Builder b = sent ? ArchiveChunk.newBuilder() : first;
                requests.onNext(b.setData(ByteString.copyFrom(buf, 0, n)).build());
                sent = true;
            }
            if (!sent) {
                requests.onNext(first.build());
            }
            requests.onCompleted();
        } catch (IOException e) {
            requests.onError(e);
            throw new UncheckedIOException("copy to " + id + ":" + dir + ": read tar", e);
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("copy to " + id + ":" + dir + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof io.grpc.StatusRuntimeException s) {
                throw DaemonException.of(s);
            }
            throw new IllegalStateException("copy to " + id + ":" + dir, e.getCause());
        }
    }

    private static ArchivePath archivePath(String id, String path) {
        return ArchivePath.newBuilder().setId(id).setPath(path).build();
    }

    private static ContainerRef ref(String id) {
        return ContainerRef.newBuilder().setId(id).build();
    }

    static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    /** The tar bytes of an ArchiveGet stream as an InputStream; closing it cancels the call. */
    private static final class ChunkInputStream extends InputStream {
        private final Iterator<ArchiveChunk> rest;
        private final Runnable onClose;
        private ByteString current;
        private int position;

        ChunkInputStream(ByteString first, Iterator<ArchiveChunk> rest, Runnable onClose) {
            this.current = first;
            this.rest = rest;
            this.onClose = onClose;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (position >= current.size()) {
                if (!rest.hasNext()) {
                    return -1;
                }
                current = rest.next().getData();
                position = 0;
            }
            int n = Math.min(len, current.size() - position);
            current.copyTo(b, position, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            onClose.run();
        }
    }
}
