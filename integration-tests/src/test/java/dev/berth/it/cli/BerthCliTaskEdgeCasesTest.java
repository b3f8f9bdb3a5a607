package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.CreateContainerRequest;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.cli.client.Berth;
import dev.berth.it.manager.support.ShimProcesses;
import dev.berth.it.support.Wait;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI over the task edge cases of issue 10: container lists past gRPC's 16 MiB message limit (defect 5) and a
 * container whose shim was killed (it has exited with 137, not "Created").
 */
class BerthCliTaskEdgeCasesTest extends BerthCliFixture {
    private static final int HUGE_ENV = 6 << 20;

    @Test
    void ps_containersWhoseSpecsPassGrpcsMessageLimit_areAllListed() {
        List<String> ids = List.of("huge-a", "huge-b", "huge-c");
        String spec = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"true\"],\"env\":[\"BIG=" + "x".repeat(HUGE_ENV)
                + "\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"}}";
        try (Berth client = Berth.connect(berthd.socket().toString(), namespace)) {
            for (String id : ids) {
                client.containers().create(CreateContainerRequest.newBuilder().setContainer(Container.newBuilder()
                        .setId(id).setImage(busybox)
                        .setRuntime(Container.Runtime.newBuilder().setName("io.containerd.runc.v2"))
                        .setSpec(Any.newBuilder().setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Spec")
                                .setValue(ByteString.copyFrom(spec, StandardCharsets.UTF_8))))
                        .build());
            }
            // 3 × 6 MiB: one List answer is past the limit
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(StatusRuntimeException.class,
                    () -> client.containers().list(ListContainersRequest.getDefaultInstance())).getStatus().getCode());
            assertEquals(ids, client.listContainers(ListContainersRequest.getDefaultInstance()).stream()
                    .map(Container::getId).sorted().toList());
        }
        assertEquals(ids, containerIds().stream().sorted().toList());
        String table = berth("ps", "-a").assertSuccess().stdout();
        assertEquals(4, lines(table).size(), table.length() > 2000 ? table.substring(0, 2000) : table);
        assertTrue(berth("info").assertSuccess().stdout().contains(" Containers: 3"));
        // created without a snapshot (as ctr's containers create without --rootfs): rm has no snapshot to remove
        berth("rm", "huge-a", "huge-b", "huge-c").assertSuccess();
        assertEquals(List.of(), containerIds());
    }

    @Test
    void ps_containerWhoseShimWasKilled_showsExited137() {
        berth("run", "-d", "--name", "shimless", busybox, "sleep", "1000").assertSuccess();
        List<Long> shims = ShimProcesses.of(dir, "shimless", "serve");
        assertEquals(1, shims.size(), "serving shim of shimless: " + shims);
        ProcessHandle shim = ProcessHandle.of(shims.getFirst()).orElseThrow();
        shim.destroyForcibly();
        shim.onExit().join();

        Wait.until("shimless shown as killed", Duration.ofSeconds(20),
                () -> berth("ps", "-a").stdout().contains("Exited (137)"));
        String ps = berth("ps", "-a").assertSuccess().stdout();
        assertTrue(ps.lines().anyMatch(l -> l.contains("shimless") && l.contains("Exited (137)")), ps);
        String inspect = berth("inspect", "shimless").assertSuccess().stdout().replaceAll("\\s", "");
        assertTrue(inspect.contains("\"Status\":\"exited\"") && inspect.contains("\"ExitCode\":137"), inspect);
        berth("rm", "shimless").assertSuccess();
    }
}
