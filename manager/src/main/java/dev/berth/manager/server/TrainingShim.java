package dev.berth.manager.server;

import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.api.types.task.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shim of the AOT training's restart ({@link AotTraining}): a ttrpc server in the training's own JVM that
 * answers, for the tasks whose bundles it wrote, what berthd's recovery and task list ask a shim server (Connect,
 * State: running; Shutdown), so that reattaching tasks after a restart is in berthd's AOT cache without starting a
 * container at build time.
 */
final class TrainingShim implements AutoCloseable {
    private static final String RUNTIME_DIR = "io.containerd.runtime.v2.task";

    private final TtrpcServer server;

    private TrainingShim(TtrpcServer server) {
        this.server = server;
    }

    /**
     * Serves on {@code socket} and writes, under the state root, the bundle of each of {@code ids} in {@code
     * namespace} as a shim server's tasks leave them: their shim's address and binary.
     */
    static TrainingShim start(Path stateRoot, String namespace, List<String> ids, Path socket, Path binary)
            throws IOException {
        long pid = ProcessHandle.current().pid();
        TtrpcServer server = new TtrpcServer(TtrpcService.builder("containerd.task.v2.Task")
                .unary("State", StateRequest.parser(), (ctx, r) -> StateResponse.newBuilder().setId(r.getId())
                        .setPid((int) pid).setStatus(Status.RUNNING).setBundle(stateRoot.resolve(RUNTIME_DIR)
                                .resolve(namespace).resolve(r.getId()).toString()).build())
                .unary("Connect", ConnectRequest.parser(), (ctx, r) -> ConnectResponse.newBuilder()
                        .setShimPid((int) pid).setTaskPid((int) pid).build())
                .unary("Shutdown", ShutdownRequest.parser(), (ctx, r) -> com.google.protobuf.Empty.getDefaultInstance())
                .build());
        server.listen(socket);
        for (String id : ids) {
            Path bundle = Files.createDirectories(stateRoot.resolve(RUNTIME_DIR).resolve(namespace).resolve(id));
            Files.writeString(bundle.resolve("address"), "unix://" + socket, StandardCharsets.UTF_8);
            Files.writeString(bundle.resolve("shim-binary-path"), binary.toString(), StandardCharsets.UTF_8);
        }
        return new TrainingShim(server);
    }

    @Override
    public void close() {
        server.shutdown(java.time.Duration.ZERO);
    }
}
