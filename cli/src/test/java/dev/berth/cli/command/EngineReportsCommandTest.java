package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.ImageDeleteItem;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.engine.v1.UpdateContainerRequest;
import dev.berth.api.services.engine.v1.UpdateContainerResponse;
import dev.berth.cli.client.CliException;
import dev.berth.client.Berth;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output of {@code stats}, {@code diff}, {@code update}, {@code image prune} and {@code system df}. */
class EngineReportsCommandTest {
    private static final String ID = "0123456789ab" + "cd".repeat(26);
    /** A second sample: 0.5 s of CPU in 2 s of the host's two CPUs is 50 %. */
    private static final String STATS = """
            {"read":"2026-01-01T00:00:02Z","id":"%s","name":"/web",
             "cpu_stats":{"cpu_usage":{"total_usage":1500000000},"system_cpu_usage":12000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":10000000000},
             "memory_stats":{"usage":26214400,"limit":104857600,"stats":{"total_inactive_file":5242880}},
             "pids_stats":{"current":3},
             "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"Read","value":1500000},
               {"major":8,"minor":0,"op":"Write","value":2048}]},
             "networks":{"eth0":{"rx_bytes":1234,"tx_bytes":656},"eth1":{"rx_bytes":1000,"tx_bytes":0}}}
            """.formatted(ID);

    @TempDir
    Path dir;
    private EventLoopGroup group;
    private Server server;
    private Berth berth;
    private final List<String> updates = new CopyOnWriteArrayList<>();
    private final List<PruneRequest> prunes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Path socket = dir.resolve("b.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                .workerEventLoopGroup(group).addService(new FakeContainers()).addService(new FakeImages())
                .addService(new FakeSystem()).build().start();
        berth = Berth.connect(socket, "default");
    }

    @AfterEach
    void stop() throws Exception {
        berth.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Runs the command made by {@code command} (its out bound to a buffer) and answers what it printed. */
    private String output(Supplier<BaseCommand> command) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, command.get().run(berth));
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** A table's lines with each run of two or more spaces as one tab. */
    private static List<String> cells(String table) {
        return table.lines().map(l -> l.strip().replaceAll(" {2,}", "\t")).toList();
    }

    @Test
    void stats_noStream_isDockersTable() throws Exception {
        String out = output(() -> {
            StatsCommand c = new StatsCommand();
            c.noStream = true;
            c.refs = List.of("web");
            return c;
        });
        assertEquals(List.of("CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tMEM %\tNET I/O\tBLOCK I/O\tPIDS",
                "0123456789ab\tweb\t50.00%\t20MiB / 100MiB\t20.00%\t2.23kB / 656B\t1.5MB / 2.05kB\t3"), cells(out));
        String formatted = output(() -> {
            StatsCommand c = new StatsCommand();
            c.noStream = true;
            c.noTrunc = true;
            c.format = "{{.ID}}: {{.CPUPerc}} {{.PIDs}}";
            c.refs = List.of("web");
            return c;
        });
        assertEquals(ID + ": 50.00% 3\n", formatted);
    }

    @Test
    void diff_printsDockersLetters() throws Exception {
        String out = output(() -> {
            DiffCommand c = new DiffCommand();
            c.ref = "web";
            return c;
        });
        assertEquals("C /etc\nA /etc/x\nD /y\n", out);
    }

    @Test
    void update_sendsOnlyTheFlagsGiven_andPrintsNamesThenWarnings() throws Exception {
        String out = output(() -> {
            UpdateCommand c = new UpdateCommand();
            c.memory = "64m";
            c.memorySwap = "-1";
            c.cpus = "1.5";
            c.pidsLimit = 100L;
            c.restart = "on-failure:3";
            c.refs = List.of("web", "db");
            return c;
        });
        assertEquals("web\ndb\nswap is limited\nswap is limited\n", out);
        assertEquals("{\"NanoCpus\":1500000000,\"Memory\":67108864,\"MemorySwap\":-1,\"PidsLimit\":100,"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}", updates.getFirst());
        CliException none = assertThrows(CliException.class, () -> {
            UpdateCommand c = new UpdateCommand();
            c.refs = List.of("web");
            c.run(berth);
        });
        assertEquals("You must provide one or more flags when using this command.", none.getMessage());
    }

    @Test
    void imagePrune_all_printsUntaggedDeletedAndTheTotal() throws Exception {
        String out = output(() -> {
            ImageCommand.PruneCommand c = new ImageCommand.PruneCommand();
            c.all = true;
            c.force = true;
            c.filters = List.of("label=a=b");
            return c;
        });
        assertEquals("Deleted Images:\nuntagged: app:1\ndeleted: sha256:" + "ef".repeat(32) + "\n\n"
                + "Total reclaimed space: 1.5MB\n", out);
        assertEquals(List.of("false"), prunes.getFirst().getFiltersMap().get("dangling").getValuesList());
        assertEquals(List.of("a=b"), prunes.getFirst().getFiltersMap().get("label").getValuesList());
    }

    @Test
    void systemDf_summaryWithDockersReclaimable() throws Exception {
        String out = output(SystemCommand.DfCommand::new);
        assertEquals(List.of("TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE",
                "Images\t2\t1\t3MB\t2MB (66%)",
                "Containers\t2\t1\t300kB\t100kB (33%)",
                "Local Volumes\t1\t0\t1kB\t1kB (100%)",
                "Build Cache\t0\t0\t0B\t0B"), cells(out));
    }

    private final class FakeContainers extends ContainersGrpc.ContainersImplBase {
        @Override
        public void stats(StatsRequest req, StreamObserver<JsonDocument> response) {
            response.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8(STATS)).build());
            response.onCompleted();
        }

        @Override
        public void changes(ContainerRef req, StreamObserver<JsonDocument> response) {
            response.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8(
                    "[{\"Path\":\"/etc\",\"Kind\":0},{\"Path\":\"/etc/x\",\"Kind\":1},{\"Path\":\"/y\",\"Kind\":2}]"))
                    .build());
            response.onCompleted();
        }

        @Override
        public void update(UpdateContainerRequest req, StreamObserver<UpdateContainerResponse> response) {
            updates.add(req.getUpdate().toStringUtf8());
            response.onNext(UpdateContainerResponse.newBuilder().addWarnings("swap is limited").build());
            response.onCompleted();
        }
    }

    private final class FakeImages extends ImagesGrpc.ImagesImplBase {
        @Override
        public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
            prunes.add(req);
            response.onNext(PruneResponse.newBuilder().addDeleted("sha256:" + "ef".repeat(32))
                    .addImageDeletes(ImageDeleteItem.newBuilder().setUntagged("app:1"))
                    .addImageDeletes(ImageDeleteItem.newBuilder().setDeleted("sha256:" + "ef".repeat(32)))
                    .setSpaceReclaimed(1_500_000).build());
            response.onCompleted();
        }
    }

    private static final class FakeSystem extends SystemGrpc.SystemImplBase {
        @Override
        public void df(Empty req, StreamObserver<JsonDocument> response) {
            String df = """
                    {"LayersSize":3000000,
                     "Images":[{"Id":"sha256:aa","RepoTags":["busybox:latest"],"Size":1000000,"SharedSize":0,
                                "Containers":2,"Created":0},
                               {"Id":"sha256:bb","RepoTags":["app:1"],"Size":2000000,"SharedSize":0,
                                "Containers":0,"Created":0}],
                     "Containers":[{"Id":"c1","State":"running","SizeRw":200000},
                                   {"Id":"c2","State":"exited","SizeRw":100000}],
                     "Volumes":[{"Name":"v","UsageData":{"Size":1000,"RefCount":0}}],
                     "BuildCache":[]}
                    """;
            response.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8(df)).build());
            response.onCompleted();
        }
    }
}
