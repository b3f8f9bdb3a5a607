package dev.berth.shim.server;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.berth.api.events.TaskCreate;
import dev.berth.api.events.TaskDelete;
import dev.berth.api.events.TaskExit;
import dev.berth.api.events.TaskStart;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.services.ttrpc.events.v1.ForwardRequest;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.api.types.Mount;
import dev.berth.runtime.spec.DefaultSpec;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.Spec;
import dev.berth.shim.process.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a spare runs before it waits, so that its task does not wait for code run the first time (interpreted, its
 * classes initialised): the flags, group and socket of a bundle, the spec's JSON both ways, the protobuf messages of
 * the task API and its events, and ttrpc calls on a socket of its own. It reaches nothing outside this process but
 * a temp directory, which it removes.
 */
final class SpareWarmup {
    /**
     * What the first run costs is mostly first-time work (classes initialised, call sites linked), which one round
     * pays; a few more let the loops of parsing and framing be compiled.
     */
    private static final int ROUNDS = 5;
    private static final String NAMESPACE = "berth-warmup";
    private static final String SERVICE = "berth.warmup.v1.Warmup";

    private SpareWarmup() {}

    static void run() throws IOException {
        Path tmp = Files.createTempDirectory("berth-spare-");
        try {
            Path bundle = Files.createDirectory(tmp.resolve("bundle"));
            Map<String, Object> config = DefaultSpec.standard();
            Files.writeString(bundle.resolve("config.json"), Json.write(config));
            for (int i = 0; i < ROUNDS; i++) {
                ShimFlags flags = ShimFlags.parse(new String[] {"-namespace", NAMESPACE, "-address",
                    tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", "w" + i,
                    "-bundle", bundle.toString(), "-ready-fd", "3", "serve"});
                ShimGroup.of(flags.bundleDir()).map(flags::withGroup).orElse(flags).socketPath();
                Spec.fromJson(new JsonObject(Json.parseObject(Files.readString(bundle.resolve("config.json"))), ""));
                messages(i, bundle);
            }
            ttrpc(tmp.resolve("warmup.sock"));
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void messages(int i, Path bundle) throws InvalidProtocolBufferException {
        String id = "w" + i;
        var exitedAt = Timestamps.of(Instant.now());
        roundTrip(CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.toString()).setStdout("/dev/null")
                .addRootfs(Mount.newBuilder().setType("overlay").setSource("overlay").addOptions("lowerdir=/l"))
                .setOptions(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")).build(),
                CreateTaskRequest.parser());
        roundTrip(CreateTaskResponse.newBuilder().setPid(i).build(), CreateTaskResponse.parser());
        roundTrip(StartRequest.newBuilder().setId(id).build(), StartRequest.parser());
        roundTrip(StartResponse.newBuilder().setPid(i).build(), StartResponse.parser());
        roundTrip(StateRequest.newBuilder().setId(id).build(), StateRequest.parser());
        roundTrip(StateResponse.newBuilder().setId(id).setBundle(bundle.toString()).setPid(i).build(),
                StateResponse.parser());
        roundTrip(WaitRequest.newBuilder().setId(id).build(), WaitRequest.parser());
        roundTrip(WaitResponse.newBuilder().setExitStatus(i).setExitedAt(exitedAt).build(), WaitResponse.parser());
        roundTrip(DeleteRequest.newBuilder().setId(id).build(), DeleteRequest.parser());
        roundTrip(DeleteResponse.newBuilder().setPid(i).setExitStatus(i).setExitedAt(exitedAt).build(),
                DeleteResponse.parser());
        roundTrip(ConnectRequest.newBuilder().setId(id).build(), ConnectRequest.parser());
        roundTrip(ConnectResponse.newBuilder().setShimPid(i).setTaskPid(i).build(), ConnectResponse.parser());
        for (Message event : List.of(
                TaskCreate.newBuilder().setContainerId(id).setBundle(bundle.toString()).setPid(i).build(),
                TaskStart.newBuilder().setContainerId(id).setPid(i).build(),
                TaskExit.newBuilder().setContainerId(id).setId(id).setPid(i).setExitedAt(exitedAt).build(),
                TaskDelete.newBuilder().setContainerId(id).setPid(i).setExitedAt(exitedAt).build())) {
            Envelope envelope = Envelope.newBuilder().setTimestamp(exitedAt).setNamespace(NAMESPACE)
                    .setTopic("/tasks/warmup").setEvent(Any.newBuilder()
                            .setTypeUrl(event.getDescriptorForType().getFullName()).setValue(event.toByteString()))
                    .build();
            roundTrip(ForwardRequest.newBuilder().setEnvelope(envelope).build(), ForwardRequest.parser());
        }
    }

    private static <T extends Message> void roundTrip(T message, Parser<T> parser)
            throws InvalidProtocolBufferException {
        parser.parseFrom(message.toByteArray());
    }

    /** Calls on one connection, as containerd makes them, and over a new connection each, as events are sent. */
    private static void ttrpc(Path socket) throws IOException {
        try (TtrpcServer server = new TtrpcServer(List.of(TtrpcService.builder(SERVICE)
                .unary("Echo", StateRequest.parser(), (c, r) -> StateResponse.newBuilder().setId(r.getId()).build())
                .unary("Forward", ForwardRequest.parser(), (c, r) -> Empty.getDefaultInstance())
                .build()))) {
            server.listen(socket);
            try (TtrpcClient client = TtrpcClient.connect(socket)) {
                for (int i = 0; i < ROUNDS; i++) {
                    client.call(SERVICE, "Echo", StateRequest.newBuilder().setId("w" + i).build(),
                            StateResponse.parser(), Metadata.namespace(NAMESPACE), Duration.ofSeconds(5));
                    client.call(SERVICE, "Forward", ForwardRequest.getDefaultInstance(), Empty.parser(),
                            Metadata.namespace(NAMESPACE), Duration.ofSeconds(5));
                }
            }
        }
    }
}
