package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLauncher;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Finds the shim that serves a task again once berthd's connection to its shim broke: runs the shim binary's
 * {@code start} for the task's group, connects to the address it prints and asks for the task. A berth-shim group
 * gets a new server that has taken the group's containers over from their monitors, so the task lives on; any
 * other shim (containerd's runc shim, one per task) starts empty, does not know the task, and is asked to exit.
 *
 * <p>Every task of a server that died loses its connection at once, so {@code start} runs once per dead server
 * (its address and pid): the others wait for that run and use its address.
 */
final class ShimReconnect {
    private static final Log LOG = Log.of(ShimReconnect.class);

    private final ShimTasksConfig config;
    private final ShimLauncher launcher;
    private final GroupServers servers;
    /** The {@code start} running for a dead server, by its address and pid. */
    private final Map<String, CompletableFuture<String>> restarts = new ConcurrentHashMap<>();

    ShimReconnect(ShimTasksConfig config, ShimLauncher launcher, GroupServers servers) {
        this.config = config;
        this.launcher = launcher;
        this.servers = servers;
    }

    /**
     * The task's link to its group's server, started again if the one at {@code lostAddress} (pid {@code
     * lostPid}, 0 if unknown) is gone; empty if no shim serves the task any more (its container is gone, or the
     * shim cannot be started).
     */
    Optional<ShimTask.Link> reconnect(ShimCall call, String lostAddress, long lostPid) {
        String address;
        try {
            address = restartOnce(call, lostAddress + " " + lostPid);
        } catch (IOException | BerthException e) {
            LOG.warn("shim start for a task whose shim is gone failed", e, "namespace", call.namespace(), "id",
                    call.id());
            return Optional.empty();
        }
        try {
            return attach(call, address);
        } catch (IOException e) {
            LOG.warn("shim started again does not answer", e, "namespace", call.namespace(), "id", call.id(),
                    "address", address);
            return Optional.empty();
        }
    }

    /**
     * Connects to the shim at {@code address} and asks it for the task: its link if the shim knows it; empty if
     * the shim answers without it (asked to exit then: it does once it serves no task).
     *
     * @throws IOException if nothing serves at {@code address} or the shim does not answer
     */
    Optional<ShimTask.Link> attach(ShimCall call, String address) throws IOException {
        return attach(call, address, connect(address, call.namespace()));
    }

    /** A new connection to the shim at {@code address}, for calls in {@code namespace}. */
    ShimClient connect(String address, String namespace) throws IOException {
        return ShimClient.connect(address, namespace, config.callTimeout());
    }

    /**
     * {@link #attach(ShimCall, String)} over {@code client}, a connection (or a handle on one) to the shim at
     * {@code address}, which the link then holds; closed if the shim does not know the task.
     */
    Optional<ShimTask.Link> attach(ShimCall call, String address, ShimClient client) throws IOException {
        try {
            client.state(call.id(), "");
            var hello = client.connect(call.id());
            // a namespace's server found again (after berthd's restart, or started anew) takes its next tasks
            servers.learn(call.binary(), call.namespace(), address, hello.getVersion());
            return Optional.of(new ShimTask.Link(address, client, hello.getShimPid()));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                Cleanup.ignoring("shut down shim", call, () -> client.shutdown(call.id(), false));
            }
            Cleanup.ignoring("close shim client", call, client::close);
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("shim at " + address + " does not answer for " + call.id() + ": "
                    + e.getMessage(), e);
        }
    }

    private String restartOnce(ShimCall call, String key) throws IOException {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = restarts.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            String address = launcher.restart(call);
            mine.complete(address);
            return address;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            // a task that notices the death later runs start again: it finds the new server without a JVM
            restarts.remove(key, mine);
        }
    }

    private static String join(CompletableFuture<String> running) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.unavailable("start shim again: interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof BerthException b) {
                throw b;
            }
            throw new IllegalStateException("start shim again: " + e.getCause(), e.getCause());
        }
    }
}
