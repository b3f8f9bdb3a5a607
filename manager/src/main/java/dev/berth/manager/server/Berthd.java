package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Level;
import dev.berth.log.Log;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.build.BuildCache;
import dev.berth.manager.build.Builder;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.diff.LayerComputer;
import dev.berth.manager.diff.SyscallMounter;
import dev.berth.manager.dockerapi.DockerApi;
import dev.berth.manager.dockerapi.SystemFacts;
import dev.berth.manager.engine.ContainerNetworking;
import dev.berth.manager.engine.ContainerVolumeUsers;
import dev.berth.manager.engine.DockerEvents;
import dev.berth.manager.engine.Engine;
import dev.berth.manager.engine.EngineConfig;
import dev.berth.manager.engine.ContainerChanges;
import dev.berth.manager.engine.ContainerStats;
import dev.berth.manager.engine.ContainerUpdates;
import dev.berth.manager.engine.DiskUsage;
import dev.berth.manager.engine.EngineImages;
import dev.berth.manager.engine.ImagePrune;
import dev.berth.manager.engine.SystemInfo;
import dev.berth.manager.engine.spec.SpecBuilder;
import dev.berth.manager.engine.volume.ContainerArchive;
import dev.berth.manager.engine.volume.Volumes;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.fs.Permissions;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.archive.ImageExporter;
import dev.berth.manager.image.archive.ImageImporter;
import dev.berth.manager.image.commit.ContainerCommit;
import dev.berth.manager.image.commit.ImageCommitter;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.pull.ImagePuller;
import dev.berth.manager.image.pull.PullOptions;
import dev.berth.manager.image.pull.PullProgress;
import dev.berth.manager.image.push.ImagePusher;
import dev.berth.manager.image.registry.RegistryHosts;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.network.NetworkOptions;
import dev.berth.manager.network.NetworkReconciler;
import dev.berth.manager.network.Networks;
import dev.berth.manager.network.Sandboxes;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.api.events.ContainerEventsProto;
import dev.berth.api.events.ContentEventsProto;
import dev.berth.api.events.ImageEventsProto;
import dev.berth.api.events.NamespaceEventsProto;
import dev.berth.api.events.SnapshotEventsProto;
import dev.berth.manager.service.containers.ContainersService;
import dev.berth.manager.service.engine.EngineContainersService;
import dev.berth.manager.service.engine.EngineImagesService;
import dev.berth.manager.service.engine.EngineNetworksService;
import dev.berth.manager.service.engine.EngineSystemService;
import dev.berth.manager.service.engine.EngineVolumesService;
import dev.berth.manager.service.content.ContentService;
import dev.berth.manager.service.images.ImagesService;
import dev.berth.manager.service.events.EventsService;
import dev.berth.manager.service.leases.LeasesService;
import dev.berth.manager.service.tasks.TasksService;
import dev.berth.manager.service.build.BuildService;
import dev.berth.manager.service.transfer.TransferService;
import dev.berth.manager.service.namespaces.NamespacesService;
import dev.berth.manager.service.diff.DiffService;
import dev.berth.manager.service.introspection.IntrospectionService;
import dev.berth.manager.service.introspection.PluginInfo;
import dev.berth.manager.service.snapshots.SnapshotsService;
import dev.berth.manager.service.version.VersionService;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.copy.CopySnapshotter;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.manager.task.ShimBinaries;
import dev.berth.manager.task.ShimTasks;
import dev.berth.manager.task.ShimTasksConfig;
import dev.berth.manager.task.shim.EventsForwardServer;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.manager.task.shim.ShimLauncherConfig;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.BindableService;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * berthd's composition root: builds the stores, then the task supervisor, then the services, in dependency order
 * (STYLE principle 3), and serves them on the unix socket or in-process for an embedding application. Closing
 * lets go of the shims without stopping them: containers never stop because berthd stops. berthd's main
 * ({@link #start}) binds the sockets while the stores open, and holds the calls that come meanwhile.
 *
 * <p>Layout under the root: {@code content/} (blobs, ingests), {@code snapshots/overlayfs/},
 * {@code snapshots/native/}, {@code metadata.db}, {@code tmp/} (mount points of diff operations), {@code uuid};
 * under the state root: {@code io.containerd.runtime.v2.task/<ns>/<id>/} (bundles). Their modes, and the check
 * that restores them at start, are {@link StorageModes}'s.
 */
public final class Berthd implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final Log LOG = Log.of(Berthd.class);
    /**
     * An ingest nobody wrote to for this long is dropped: long enough to resume a pull that was cut short, short
     * enough that a killed pull of a large layer does not hold the disk for the 24 hours of its lease.
     */
    static final Duration STALE_INGEST_AGE = Duration.ofHours(1);
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(10);

    private final BerthdConfig config;
    private final Deque<AutoCloseable> closeables;
    private final List<ServerServiceDefinition> services;
    private final ShimTasks tasks;
    private UnixSocketServer socket;
    private DockerApi docker;
    private InProcess inProcess;

    private Berthd(BerthdConfig config, Deque<AutoCloseable> closeables, List<ServerServiceDefinition> services,
                   ShimTasks tasks) {
        this.config = config;
        this.closeables = closeables;
        this.services = services;
        this.tasks = tasks;
    }

    /**
     * Opens the stores under the config's root, re-attaches to the shims of live tasks and builds the services;
     * nothing is served yet. The root is locked against a second berthd. {@code sys} is the one binding of the
     * system calls that every part of this berthd uses.
     */
    public static Berthd open(BerthdConfig config, LinuxSyscalls sys) throws IOException {
        return open(config, sys, Launch.EMBEDDED);
    }

    /** {@link #open(BerthdConfig, LinuxSyscalls)} for an embedding that knows its launcher and PATH. */
    public static Berthd open(BerthdConfig config, LinuxSyscalls sys, Launch launch) throws IOException {
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        try {
            Path root = claimRoot(config, closeables);
            return build(root, openStores(root, sys, closeables), config, sys, launch, closeables);
        } catch (IOException | RuntimeException e) {
            closeAll(closeables);
            throw e;
        }
    }

    /**
     * berthd's main: {@link #open} then {@link #serve}, with the socket bound as soon as the root is locked and the
     * sockets claimed, so that the server's start overlaps the stores' opening; a call that comes before the
     * services are built waits for them ({@link PendingServices}), one that comes after a failed start is refused.
     */
    public static Berthd start(BerthdConfig config, LinuxSyscalls sys, Launch launch) throws IOException {
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        PendingServices pending = new PendingServices();
        Deque<AutoCloseable> servers = new ArrayDeque<>();
        Berthd berthd;
        try {
            Path root = claimRoot(config, closeables);
            Recovering<Stores> stores = openStores(root, sys, closeables);
            UnixSocketServer socket = UnixSocketServer.start(config.address(), pending);
            servers.push(socket);
            // the Docker API's ping and version answer from here on, as containerd's version does; its other calls
            // wait for the services as the socket's do
            InProcess inProcess = null;
            DockerApi docker = null;
            if (config.dockerAddress().isPresent()) {
                inProcess = InProcess.start(pending);
                servers.push(inProcess);
                docker = serveDockerApi(config.dockerAddress().get(), inProcess.channel(), config.root());
                servers.push(docker);
            }
            berthd = build(root, stores, config, sys, launch, closeables);
            berthd.socket = socket;
            berthd.inProcess = inProcess;
            berthd.docker = docker;
        } catch (IOException | RuntimeException e) {
            pending.fail(e);
            closeAll(servers);
            closeAll(closeables);
            throw e;
        }
        pending.serve(berthd.services);
        berthd.logServing();
        return berthd;
    }

    /**
     * Creates the root and state directories, locks the root against a second berthd, claims the sockets and
     * restores the storage's modes ({@link StorageModes}); returns the root.
     */
    private static Path claimRoot(BerthdConfig config, Deque<AutoCloseable> closeables) throws IOException {
        Path root = Permissions.createDirectories(config.root(), Permissions.TRAVERSABLE_DIRECTORY);
        Permissions.createDirectories(config.state(), Permissions.TRAVERSABLE_DIRECTORY);
        closeables.push(lock(root));
        // before anything listens: a berthd with another root must not take over a running one's sockets
        SocketClaim.claim(config.address());
        SocketClaim.claim(config.ttrpcAddress());
        StorageModes modes = new StorageModes(root, config.state(), config.address());
        for (StorageModes.Fixed f : modes.restrict()) {
            LOG.warn("mode too open, restricted", "path", f.path(), "old_mode", Permissions.octal(f.old()),
                    "mode", Permissions.octal(f.mode()));
        }
        modes.createShimDirectories();
        return root;
    }

    /**
     * Starts opening the stores on a thread of their own, for the start to go on meanwhile with what does not read
     * them (the socket, the event exchange, the shims' event socket, the differ): on two cores the start is CPU
     * work, most of it the first run of code (SQLite's first connection, Netty's, protobuf's descriptors).
     */
    private static Recovering<Stores> openStores(Path root, LinuxSyscalls sys, Deque<AutoCloseable> closeables) {
        LOG.debug("root locked, modes checked");
        Recovering<Stores> opening = Recovering.start("open stores", () -> Stores.open(root, sys));
        closeables.push(() -> closeOpened(opening));
        return opening;
    }

    private static Berthd build(Path root, Recovering<Stores> opening, BerthdConfig config, LinuxSyscalls sys,
                                Launch launch, Deque<AutoCloseable> closeables)
            throws IOException {
        Exchange exchange = new Exchange(java.time.Clock.systemUTC(), Exchange.DEFAULT_CAPACITY, Stream.of(
                        ImageEventsProto.getDescriptor(), ContainerEventsProto.getDescriptor(),
                        NamespaceEventsProto.getDescriptor(), ContentEventsProto.getDescriptor(),
                        SnapshotEventsProto.getDescriptor())
                .flatMap(f -> f.getMessageTypes().stream()).toList());
        closeables.push(EventsForwardServer.listen(config.ttrpcAddress(), exchange));
        Path scratch = Permissions.createDirectories(root.resolve("tmp"), Permissions.PRIVATE_DIRECTORY);
        SyscallMounter mounter = new SyscallMounter(sys);
        LayerApplier applier = new LayerApplier(sys, mounter, scratch);
        ContentDiffer differ = new ContentDiffer(applier, new LayerComputer(sys, mounter, scratch));
        MetadataDb db = Recovering.join("open stores", opening.done()).db();
        LOG.debug("metadata opened");
        Sweeps sweeps = sweepLeftovers(db);
        closeables.push(sweeps.stop());
        AwaitRecovery swept = new AwaitRecovery("sweep leftovers of earlier runs", sweeps.first());

        ShimLauncher launcher = new ShimLauncher(new ShimLauncherConfig(config.address(), config.ttrpcAddress(),
                launch.publishBinary(), Level.parse(config.logLevel()) == Level.DEBUG, Duration.ofSeconds(30)), sys);
        Map<String, Path> runtimes = new LinkedHashMap<>(config.runtimes());
        ShimTasks tasks = new ShimTasks(new ShimTasksConfig(config.state(),
                new ShimBinaries(runtimes, launch.searchPath(),
                        config.defaultRuntime()),
                Duration.ofSeconds(30), Duration.ofSeconds(10)), launcher, exchange, exchange,
                new ContainerExitLabels(db), sys);
        closeables.push(tasks);

        // From here on the tasks come back on a thread of their own while the rest is built and served: a task call
        // waits only for its own namespace's recovery (ShimTasks.startRecovery)
        java.util.concurrent.CompletableFuture<dev.berth.manager.task.Recovery> taskRecovery = tasks.startRecovery();
        LOG.debug("task recovery started");

        String defaultSnapshotter = config.snapshotter();
        java.time.Clock clock = java.time.Clock.systemUTC();
        DockerEvents dockerEvents = new DockerEvents(clock);
        Volumes volumes = new Volumes(db, root.resolve("volumes"), new ContainerVolumeUsers(db), clock, sys,
                (ns, action, name) -> dockerEvents.publish(ns, "volume", action, name, null,
                        Map.of("driver", "local")));
        BerthdConfig.NetworkSwitches switches = config.network();
        Networks networks = new Networks(db.networks(), new NetworkOptions(root, config.state(),
                switches.pluginDirs(), switches.defaultBridge() ? switches.bridge() : "berth0",
                switches.masquerade(), switches.upstreamDns()), clock);
        Sandboxes sandboxes = new Sandboxes(networks, db.networks(), sys, sys);
        closeables.push(sandboxes);
        LOG.debug("networks opened");
        EngineConfig engineConfig = new EngineConfig(config.state().resolve("engine"), root.resolve("containers"),
                defaultSnapshotter, config.defaultRuntime(), config.state().resolve("io.containerd.runtime.v2.task"));
        Engine engine = new Engine(engineConfig, db, tasks, mounter, sys, new SpecBuilder(launch.dockerInit()),
                volumes, new ContainerNetworking(networks, sandboxes, switches.defaultBridge()), dockerEvents, clock);
        closeables.push(engine);
        // docker's model comes back after the tasks: the engine's calls (and the Docker API's, which go through
        // them) wait for it (AwaitRecovery), the containerd services do not
        Recovering<Void> engineRecovery = Recovering.start("recover engine",
                () -> recoverEngine(db, volumes, networks, sandboxes, taskRecovery, engine));
        closeables.push(engineRecovery::settle);
        engineRecovery.done().whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("recovery failed; the engine's calls fail until berthd restarts", e);
            }
        });
        AwaitRecovery engineReady = new AwaitRecovery("recover engine", engineRecovery.done());
        EngineImages engineImages = new EngineImages(db, engine, dockerEvents);
        DiskUsage diskUsage = new DiskUsage(engine, engineImages, volumes, db);
        RegistryHosts registries = new RegistryHosts(config.registries());
        closeables.push(registries);
        // the puller bounds its own concurrency per pull, the unpacker its applies per unpack (a layer's apply is
        // CPU work: inflating and hashing); virtual threads make the waiting cheap
        java.util.concurrent.ExecutorService downloads =
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        closeables.push(downloads::shutdownNow);
        Unpacker unpacker = new Unpacker(applier, downloads, Runtime.getRuntime().availableProcessors());
        ContainerCommit commits = new ContainerCommit(db, new ImageCommitter(db, differ, unpacker, clock),
                new ContainerCommit.Pausing() {
                    @Override
                    public void pause(String namespace, String containerId) {
                        tasks.pause(namespace, containerId);
                    }

                    @Override
                    public void resume(String namespace, String containerId) {
                        tasks.resume(namespace, containerId);
                    }
                });
        ImagePuller puller = new ImagePuller(registries, db, unpacker, downloads);
        BuildCache buildCache = new BuildCache(db, defaultSnapshotter);
        Builder builder = new Builder(db, engine, differ, unpacker, mounter, (ns, ref) -> puller.pull(ns, ref,
                new PullOptions(Platform.LINUX_AMD64, defaultSnapshotter, true, 3, config.maxUnpackedBytes(),
                        Optional.empty()),
                PullProgress.NONE), defaultSnapshotter, scratch.resolve("builds"), clock);
        List<BindableService> bindable = new ArrayList<>(List.of(
                engineReady.guard(new BuildService(builder, buildCache)),
                new VersionService(VERSION, revision()),
                new IntrospectionService(plugins(config), uuid(root)),
                swept.guard(new ContentService(db::contentStore, exchange)),
                new SnapshotsService((ns, name, lease) -> db.snapshotter(ns,
                        name.isEmpty() ? defaultSnapshotter : name, lease, (n, id) -> hasTask(tasks, n, id)),
                        exchange),
                new DiffService(db::contentStore, differ, true),
                new NamespacesService(db.namespaces(), exchange),
                new ImagesService(db::images, exchange),
                new ContainersService(db::containers, exchange),
                swept.guard(new LeasesService(db::leases)),
                new TasksService(tasks, (ns, id) -> db.containers(ns).get(id)),
                new EventsService(exchange, exchange, exchange),
                new TransferService(puller,
                        new ImagePusher(registries, db), new ImageImporter(db, unpacker, clock),
                        new ImageExporter(db), commits, registries, defaultSnapshotter, config.maxUnpackedBytes()),
                engineReady.guard(new EngineContainersService(engine, new ContainerArchive(sys),
                        new ContainerStats(engine, tasks, clock, Path.of("/proc")),
                        new ContainerUpdates(engine, db, tasks, dockerEvents,
                                ContainerUpdates.HostLimits.of(Path.of("/sys/fs/cgroup"))),
                        new ContainerChanges(engine, db, sys, mounter, scratch, clock), diskUsage)),
                engineReady.guard(new EngineVolumesService(volumes)),
                engineReady.guard(new EngineNetworksService(networks, engine, dockerEvents)),
                engineReady.guard(new EngineImagesService(engineImages,
                        new ImagePrune(engine, engineImages, db, clock))),
                engineReady.guard(new EngineSystemService(dockerEvents, new SystemInfo(engine, engineImages,
                        engineConfig, root, VERSION), diskUsage, clock))));
        LOG.debug("services built");
        List<ServerServiceDefinition> services = bindable.stream()
                .map(s -> ServerInterceptors.intercept(s, new RequestMetadata())).toList();
        return new Berthd(config, closeables, services, tasks);
    }

    /**
     * What docker's model needs back after a restart, in order, once the tasks are back: the volumes' directories
     * adopted, the built-in networks, the network state of containers that are gone released, the engine's
     * containers reattached or ended.
     */
    private static Void recoverEngine(MetadataDb db, Volumes volumes, Networks networks, Sandboxes sandboxes,
                                      java.util.concurrent.CompletableFuture<dev.berth.manager.task.Recovery> tasks,
                                      Engine engine) throws IOException {
        // after the tasks: on two cores their recovery is CPU work, and a task list waits for it
        dev.berth.manager.task.Recovery recovery = Recovering.join("recover tasks", tasks);
        LOG.info("recovered tasks", "reattached", recovery.reattached().size(),
                "cleaned", recovery.cleanedUp().size());
        var volumeRecovery = volumes.recover();
        LOG.info("recovered volumes", "adopted", volumeRecovery.adopted().size(),
                "dropped", volumeRecovery.dropped().size());
        networks.ensureBuiltins();
        var released = new NetworkReconciler(networks, db.networks(), sandboxes)
                .reconcile((ns, id) -> knownContainer(db, ns, id));
        LOG.info("reconciled networks", "released", released.released().size(),
                "corrupt", released.corrupt().size());
        engine.recover();
        LOG.info("recovered engine");
        return null;
    }

    /** The stores under the root: the snapshotters and the metadata database over them and the content store. */
    private record Stores(OverlaySnapshotter overlay, CopySnapshotter copy, MetadataDb db) {

        /** Opens them; what opened before a failure is closed. */
        static Stores open(Path root, LinuxSyscalls sys) throws IOException {
            Deque<AutoCloseable> opened = new ArrayDeque<>();
            try {
                LocalContentStore content = LocalContentStore.open(root.resolve("content"));
                OverlaySnapshotter overlay = OverlaySnapshotter.open(root.resolve("snapshots/overlayfs"));
                opened.push(overlay);
                CopySnapshotter copy = CopySnapshotter.open(root.resolve("snapshots/native"), sys);
                opened.push(copy);
                Map<String, Snapshotter> snapshotters = new LinkedHashMap<>();
                snapshotters.put("overlayfs", overlay);
                snapshotters.put("native", copy);
                MetadataDb db = MetadataDb.open(root.resolve("metadata.db"), content, snapshotters);
                LOG.debug("stores opened");
                return new Stores(overlay, copy, db);
            } catch (IOException | RuntimeException e) {
                closeAll(opened);
                throw e;
            }
        }

        /** The database first, then the snapshotters under it. */
        void close() {
            closeAll(new ArrayDeque<>(List.<AutoCloseable>of(db, copy, overlay)));
        }
    }

    /** Closes the stores {@code opening} opened, once it ended; if it failed there is nothing to close. */
    private static void closeOpened(Recovering<Stores> opening) {
        opening.settle();
        opening.done().thenAccept(Stores::close);
    }

    /** The sweeps of leftovers: what stops them, and the first one's end. */
    private record Sweeps(AutoCloseable stop, java.util.concurrent.CompletableFuture<Void> first) {}

    /**
     * Drops what interrupted work left (issue 10): first, on the sweeper's thread while berthd starts and serves
     * (the leases and content services wait for it: a client never sees those leftovers), the leases of an earlier
     * berthd's pulls, imports and commits (created before this start), expired leases and stale ingests; then every
     * {@link #SWEEP_INTERVAL} expired leases and stale ingests again.
     */
    private static Sweeps sweepLeftovers(MetadataDb db) {
        java.time.Instant startedAt = java.time.Instant.now();
        java.util.concurrent.CompletableFuture<Void> first = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.ScheduledExecutorService sweeper =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("berthd-sweeper").factory());
        sweeper.execute(() -> {
            try {
                List<String> leases = db.dropLeasesOfEarlierRun(startedAt);
                List<String> ingests = db.removeStaleIngests(STALE_INGEST_AGE);
                var gc = db.garbageCollect();
                LOG.info("leftovers of earlier runs removed", "leases", leases.size(), "expired_leases",
                        gc.expiredLeases(), "ingests", ingests.size());
            } catch (IOException | BerthException e) {
                LOG.warn("sweep of leftovers of earlier runs failed", e);
            } finally {
                first.complete(null);
            }
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                db.removeStaleIngests(STALE_INGEST_AGE);
                db.garbageCollect();
            } catch (IOException | BerthException e) {
                LOG.warn("sweep of leftovers failed", e);
            }
        }, SWEEP_INTERVAL.toMinutes(), SWEEP_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        return new Sweeps(() -> {
            sweeper.shutdownNow();
            // the stores close next: not under a sweep
            sweeper.awaitTermination(5, TimeUnit.SECONDS);
        }, first);
    }

    /** Whether container {@code id} has a task, which keeps its rootfs snapshot from being removed. */
    private static boolean hasTask(ShimTasks tasks, String namespace, String id) {
        return tasks.list(namespace).stream().anyMatch(t -> t.containerId().equals(id));
    }

    /** Serves the services on the config's unix socket, and the Docker API on its own if the config names one. */
    public Berthd serve() throws IOException {
        socket = UnixSocketServer.start(config.address(), PendingServices.of(services));
        if (config.dockerAddress().isPresent()) {
            serveDocker(config.dockerAddress().get());
        }
        logServing();
        return this;
    }

    private void logServing() {
        LOG.info("serving", "address", config.address(), "ttrpc", config.ttrpcAddress(), "root", config.root(),
                "state", config.state(), "docker", config.dockerAddress().map(Path::toString).orElse("none"));
    }

    /**
     * Serves the Docker Engine API on {@code socket} (mode 0660) over the in-process channel, in the
     * {@code default} namespace that the berth CLI uses too, so both see the same containers.
     */
    public synchronized Berthd serveDocker(Path socket) throws IOException {
        if (docker != null) {
            throw BerthException.failedPrecondition("serve docker api " + socket + ": already served");
        }
        docker = serveDockerApi(socket, channel(), config.root());
        return this;
    }

    private static DockerApi serveDockerApi(Path socket, ManagedChannel channel, Path root) throws IOException {
        Permissions.createDirectories(socket.toAbsolutePath().getParent(), Permissions.TRAVERSABLE_DIRECTORY);
        SocketClaim.claim(socket);
        return DockerApi.serve(socket, channel, "default", SystemFacts.ofHost(root));
    }

    /** A channel to the same services without a socket, for applications and tests that embed berthd. */
    public synchronized ManagedChannel channel() throws IOException {
        if (inProcess == null) {
            inProcess = InProcess.start(PendingServices.of(services));
        }
        return inProcess.channel();
    }

    /** The in-process server of {@link #channel}, named for its channels. */
    private record InProcess(String name, Server server) implements AutoCloseable {

        static InProcess start(HandlerRegistry services) throws IOException {
            String name = "berthd-" + UUID.randomUUID();
            return new InProcess(name, InProcessServerBuilder.forName(name).fallbackHandlerRegistry(services).build()
                    .start());
        }

        ManagedChannel channel() {
            return InProcessChannelBuilder.forName(name).build();
        }

        @Override
        public void close() {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void awaitTermination() throws InterruptedException {
        if (socket != null) {
            socket.awaitTermination();
        }
    }

    @Override
    public void close() {
        if (docker != null) {
            try {
                docker.close();
            } catch (IOException e) {
                LOG.warn("close docker api socket", e);
            }
        }
        if (socket != null) {
            closeSocket(socket, config.address());
        }
        if (inProcess != null) {
            inProcess.close();
        }
        closeAll(closeables);
    }

    private static void closeSocket(UnixSocketServer socket, Path address) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("close socket", e, "address", address);
        }
    }

    /** For the network reconciliation: a container whose record cannot be read counts as known (kept). */
    private static boolean knownContainer(MetadataDb db, String namespace, String id) {
        try {
            return db.engineContainers(namespace).get(id).isPresent();
        } catch (IOException e) {
            LOG.warn("read container record for network reconciliation", e, "namespace", namespace, "id", id);
            return true;
        }
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) { // each component's own close failure; keep closing the rest
                LOG.warn("close component", e, "component", c.getClass().getSimpleName());
            }
        }
    }

    /** Holds an exclusive lock on {@code <root>/berthd.lock} for the daemon's life. */
    private static AutoCloseable lock(Path root) throws IOException {
        FileChannel ch = FileChannel.open(root.resolve("berthd.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another berthd in this JVM (an embedding application)
        }
        if (lock == null) {
            ch.close();
            throw BerthException.unavailable("open root " + root + ": in use by another berthd");
        }
        return ch::close;
    }

    private static String uuid(Path root) throws IOException {
        Path file = root.resolve("uuid");
        if (!Files.exists(file)) {
            Path tmp = root.resolve(".uuid.tmp");
            Files.writeString(tmp, UUID.randomUUID().toString());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readString(file).strip();
    }

    private static String revision() {
        return Optional.ofNullable(Berthd.class.getPackage().getImplementationVersion()).orElse("dev");
    }

    private static List<PluginInfo> plugins(BerthdConfig config) {
        String grpc = "io.containerd.grpc.v1";
        List<PluginInfo> out = new ArrayList<>(List.of(
                new PluginInfo("io.containerd.content.v1", "content", List.of(),
                        Map.of("root", config.root().resolve("content").toString())),
                new PluginInfo("io.containerd.snapshotter.v1", "overlayfs", List.of(),
                        Map.of("root", config.root().resolve("snapshots/overlayfs").toString())),
                new PluginInfo("io.containerd.snapshotter.v1", "native", List.of(),
                        Map.of("root", config.root().resolve("snapshots/native").toString())),
                new PluginInfo("io.containerd.metadata.v1", "sqlite",
                        List.of("io.containerd.content.v1", "io.containerd.snapshotter.v1"), Map.of()),
                new PluginInfo("io.containerd.differ.v1", "walking", List.of("io.containerd.metadata.v1"), Map.of()),
                new PluginInfo("io.containerd.runtime.v2", "task", List.of("io.containerd.metadata.v1"),
                        Map.of("root", config.root().toString(), "state", config.state().toString()))));
        for (String svc : List.of("containers", "content", "diff", "events", "images", "introspection", "leases",
                "namespaces", "snapshots", "tasks", "version", "transfer")) {
            out.add(new PluginInfo(grpc, svc, List.of("io.containerd.metadata.v1"), Map.of()));
        }
        return out;
    }
}
