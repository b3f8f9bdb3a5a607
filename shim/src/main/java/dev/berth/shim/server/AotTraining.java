package dev.berth.shim.server;

import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.runtime.spec.DefaultSpec;
import dev.berth.runtime.spec.Json;
import dev.berth.sys.Syscalls;
import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The hidden {@code aot-training} action the build runs to record the shim's AOT cache: serves the task service
 * on a temp socket in this process and drives a throw-away busybox container through a ttrpc client (Connect,
 * Create, Start, Wait, State, Delete, Shutdown), so the cache holds the classes of the real path, client and server.
 * It needs root and Debian's busybox-static; without them it only exercises flag parsing.
 */
final class AotTraining {
    private static final String TASK = "containerd.task.v2.Task";

    private final Syscalls sys;
    private final ShimSettings settings;

    AotTraining(Syscalls sys, ShimSettings settings) {
        this.sys = sys;
        this.settings = settings;
    }

    int run() throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("berth-shim-aot-");
        try {
            String id = "berth-shim-aot-" + ProcessHandle.current().pid();
            ShimFlags.parse(new String[] {"-namespace", "berth-aot", "-address", tmp.resolve("c.sock").toString(),
                "-publish-binary", "/bin/true", "-id", id, "delete"})
                    .socketPath(new ShimGroup(ShimGroup.Scope.NAMESPACE, "berth-aot"));
            Path busybox = Path.of("/bin/busybox");
            if (Files.isExecutable(busybox) && Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) {
                try {
                    train(tmp, id, busybox);
                } catch (BerthException e) {
                    // the cache keeps what ran; the tests, not the training, are where the shim's path is checked
                    System.err.println("berth-shim aot-training: " + e.getMessage());
                }
            }
        } finally {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private void train(Path tmp, String id, Path busybox) throws IOException, InterruptedException {
        Path bundle = writeBundle(tmp.resolve("bundle"), busybox, id);
        int[] ready = sys.pipe(); // as berth-shim-start reads it; serve closes the write end
        ShimFlags flags = ShimFlags.parse(new String[] {"-namespace", "berth-aot", "-address",
            tmp.resolve("c.sock").toString(), "-publish-binary", "/bin/true", "-id", id, "-bundle", bundle.toString(),
            "-ready-fd", Integer.toString(ready[1]), "serve"});
        Thread server = Thread.ofPlatform().name("aot-serve").start(() -> {
            try {
                // a server of its own, which exits on the Shutdown below rather than after an idle period
                new ServeCommand(sys, settings.with(ShimGroup.MODE_VARIABLE, "container")).run(flags, "");
            } catch (IOException e) {
                System.err.println("berth-shim aot-training: serve: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Files.createFile(tmp.resolve("stdout"));
        try (TtrpcClient client = TtrpcClient.connect(readAddress(ready[0]))) {
            call(client, "Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser());
            call(client, "Create", CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.toString())
                    .setStdout(tmp.resolve("stdout").toString()).build(), CreateTaskResponse.parser());
            call(client, "State", StateRequest.newBuilder().setId(id).build(), StateResponse.parser());
            call(client, "Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
            call(client, "Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
            call(client, "Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
            call(client, "Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
        }
        server.join(Duration.ofSeconds(30));
    }

    /** The socket that serve reports on its ready fd: one line, {@code unix://<path>}. */
    private Path readAddress(int fd) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[1];
        try {
            while (sys.read(fd, buf, 0, 1) == 1 && buf[0] != '\n') {
                line.write(buf[0]);
            }
        } finally {
            sys.close(fd);
        }
        String address = line.toString(StandardCharsets.UTF_8).strip();
        if (!address.startsWith("unix://")) {
            throw new IOException("serve: " + address);
        }
        return Path.of(address.substring("unix://".length()));
    }

    private static <T extends MessageLite> void call(TtrpcClient client, String method, MessageLite request,
                                                     Parser<T> parser) {
        client.call(TASK, method, request, parser, Metadata.namespace("berth-aot"), Duration.ofSeconds(20));
    }

    @SuppressWarnings("unchecked")
    private static Path writeBundle(Path bundle, Path busybox, String id) throws IOException {
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("true"), Path.of("busybox"));
        Map<String, Object> config = DefaultSpec.standard();
        Map<String, Object> process = (Map<String, Object>) config.get("process");
        process.put("terminal", false);
        process.put("args", List.of("/bin/true"));
        ((Map<String, Object>) config.get("linux")).put("cgroupsPath", "/" + id);
        Files.writeString(bundle.resolve("config.json"), Json.write(config));
        return bundle;
    }
}
