package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim with a warm spare ({@code BERTH_SHIM_SPARE=1} in containerd's environment): {@code start} spawns the
 * spare after answering, the next {@code start} hands its task to the spare (which serves it) and spawns another,
 * and an idle spare exits once containerd's directory is gone.
 */
class ShimSpareTest {
    private static final String TASK = "containerd.task.v2.Task";
    private static final Duration CALL = Duration.ofSeconds(30);

    private Path tmp;
    private String namespace;
    private final List<Long> shims = new ArrayList<>();

    @BeforeEach
    void createTmp() throws IOException {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bsp-");
        namespace = "berth-it-" + random();
    }

    @AfterEach
    void cleanUp() throws IOException {
        spare().ifPresent(shims::add);
        // the idle spare exits once its socket is gone
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        try {
            for (long pid : shims) {
                Wait.until("shim " + pid + " exited", Duration.ofSeconds(10),
                        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            }
        } finally {
            for (long pid : shims) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            CgroupFs.removeLeftovers("/" + namespace);
        }
    }

    @Test
    void start_withASpareWaiting_handsTheTaskToIt_andStartsTheNext() throws Exception {
        String first = "it-" + random();
        start(first, bundle(first));
        Wait.until("a spare waits", Duration.ofSeconds(30), () -> spare().isPresent());
        long spare = spare().orElseThrow();

        String second = "it-" + random();
        Bundle bundle = bundle(second);
        try (TtrpcClient shim = TtrpcClient.connect(start(second, bundle))) {
            long shimPid = call(shim, "Connect", ConnectRequest.newBuilder().setId(second).build(),
                    ConnectResponse.parser()).getShimPid();
            shims.add(shimPid);
            assertEquals(spare, shimPid, "the spare serves the second task");

            call(shim, "Create", CreateTaskRequest.newBuilder().setId(second).setBundle(bundle.dir().toString())
                    .build(), CreateTaskResponse.parser());
            call(shim, "Start", StartRequest.newBuilder().setId(second).build(), StartResponse.parser());
            assertEquals(7, call(shim, "Wait", WaitRequest.newBuilder().setId(second).build(),
                    WaitResponse.parser()).getExitStatus());
            call(shim, "Delete", DeleteRequest.newBuilder().setId(second).build(), DeleteResponse.parser());
            call(shim, "Shutdown", ShutdownRequest.newBuilder().setId(second).build(), Empty.parser());
        }
        Wait.until("the next spare waits", Duration.ofSeconds(30),
                () -> spare().filter(pid -> pid != spare).isPresent());
        assertNotEquals(spare, spare().orElseThrow());
    }

    @Test
    void idleSpare_containerdDirectoryRemoved_exits() throws Exception {
        String id = "it-" + random();
        start(id, bundle(id));
        Wait.until("a spare waits", Duration.ofSeconds(30), () -> spare().isPresent());
        long spare = spare().orElseThrow();

        try (Stream<Path> walk = Files.walk(tmp.resolve("s"))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Wait.until("the spare exited", Duration.ofSeconds(5),
                () -> ProcessHandle.of(spare).map(p -> !p.isAlive()).orElse(true));
    }

    private Bundle bundle(String id) {
        return Bundle.create(tmp.resolve(id), "/" + namespace + "/" + id).args("sh", "-c", "exit 7").writeConfig();
    }

    /** {@code berth-shim … start} in the bundle with spares asked for; the socket it prints. */
    private Path start(String id, Bundle bundle) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/berth-shim").toString(), "-namespace", namespace,
                "-address", tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", id,
                "start").directory(bundle.dir().toFile()).redirectErrorStream(true);
        pb.environment().put("BERTH_SHIM_SPARE", "1");
        Process start = pb.start();
        start.getOutputStream().close();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(start.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, start.exitValue(), out);
        Path socket = Path.of(out.substring("unix://".length()));
        try (TtrpcClient shim = TtrpcClient.connect(socket)) {
            long pid = call(shim, "Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser())
                    .getShimPid();
            shims.add(pid);
            if (shims.size() == 1) {
                call(shim, "Shutdown", ShutdownRequest.newBuilder().setId(id).setNow(true).build(), Empty.parser());
            }
        }
        return socket;
    }

    /** The pid of the spare that waits, from its lock file. */
    private Optional<Long> spare() {
        Path lock = tmp.resolve("s/spare.lock");
        try {
            String pid = Files.exists(tmp.resolve("s/spare")) ? Files.readString(lock).strip() : "";
            return pid.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(pid));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private <T extends MessageLite> T call(TtrpcClient shim, String method, MessageLite request, Parser<T> parser) {
        return shim.call(TASK, method, request, parser, Metadata.namespace(namespace), CALL);
    }

    private static String random() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
