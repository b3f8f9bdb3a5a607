package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.AttachRequest;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecRef;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.manager.dockerapi.http.Raw;
import dev.berth.manager.dockerapi.http.RawInput;
import dev.berth.model.DockerJson;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The hijacked streams: {@code /containers/{id}/attach} and {@code /exec/{id}/start}, and the rest of exec
 * (create, inspect, resize). The engine call is opened before the connection is taken over, so output the
 * container writes meanwhile is kept and sent after the {@code 101}; stdin goes to the engine as it arrives, the
 * client's half-close as {@code close_stdin} while output keeps flowing; the connection closes when the engine
 * ends the stream.
 */
final class StdioEndpoints {

    private final Stubs stubs;

    StdioEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("POST", "/containers/{id}/attach", this::attach)
                .add("POST", "/containers/{id}/exec", c -> {
                    String id = stubs.containers().execCreate(ExecCreateRequest.newBuilder()
                            .setContainer(c.param("id")).setConfig(ByteString.copyFrom(c.body())).build()).getId();
                    c.json(201, Map.of("Id", id));
                })
                .add("POST", "/exec/{id}/start", this::execStart)
                .add("POST", "/exec/{id}/resize", c -> {
                    stubs.containers().execResize(ContainerEndpoints.resize(c, c.param("id")));
                    c.status(200);
                })
                .add("GET", "/exec/{id}/json", c -> c.json(200, stubs.containers().execInspect(
                        ExecRef.newBuilder().setId(c.param("id")).build()).getJson().toByteArray()));
    }

    /** Whether the container has a terminal (its output is then raw, not framed). */
    static boolean tty(Stubs stubs, String id) {
        return inspect(stubs, id).path("Config").path("Tty").asBoolean(false);
    }

    /** The engine's inspect document of container {@code id} (a name, id or id prefix). */
    static JsonNode inspect(Stubs stubs, String id) {
        byte[] doc = stubs.containers().inspect(dev.berth.api.services.engine.v1.ContainerRef.newBuilder()
                .setId(id).build()).getJson().toByteArray();
        return json(doc, id);
    }

    private static JsonNode json(byte[] doc, String id) {
        try {
            return DockerJson.mapper().readTree(doc);
        } catch (IOException e) {
            throw new ApiException(500, "inspect " + id + ": engine answered invalid JSON");
        }
    }

    private void attach(ApiCall c) {
        String id = c.param("id");
        boolean tty = tty(stubs, id);
        AttachRequest start = AttachRequest.newBuilder().setId(id).setStdin(c.flag("stdin", false))
                .setStdout(c.flag("stdout", false)).setStderr(c.flag("stderr", false)).setLogs(c.flag("logs", false))
                .setDetachKeys(c.query("detachKeys", "")).build();
        pump(c, tty, true, out -> stubs.containersAsync().attach(out),
                AttachInput.newBuilder().setStart(start).build(),
                b -> AttachInput.newBuilder().setStdin(ByteString.copyFrom(b)).build(),
                AttachInput.newBuilder().setCloseStdin(true).build());
    }

    private void execStart(ApiCall c) {
        JsonNode body = c.bodyJson();
        boolean detach = body.path("Detach").asBoolean(false);
        // the exec's own Tty decides the framing; inspecting first also answers an unknown exec with a 404
        JsonNode exec = json(stubs.containers().execInspect(ExecRef.newBuilder().setId(c.param("id")).build())
                .getJson().toByteArray(), c.param("id"));
        boolean tty = exec.path("ProcessConfig").path("tty").asBoolean(body.path("Tty").asBoolean(false));
        ExecInput start = ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(c.param("id"))
                .setDetach(detach).setTty(tty)).build();
        if (detach) {
            Completion<OutputChunk> done = new Completion<>();
            StreamObserver<ExecInput> in = stubs.containersAsync().execStart(done);
            in.onNext(start);
            in.onCompleted();
            done.join();
            c.status(200);
            return;
        }
        pump(c, tty, false, out -> stubs.containersAsync().execStart(out), start,
                b -> ExecInput.newBuilder().setStdin(ByteString.copyFrom(b)).build(),
                ExecInput.newBuilder().setCloseStdin(true).build());
    }

    /**
     * Opens the engine's stream, takes the connection over and relays until the engine ends the stream. An attach
     * answers the client (101 or 200) only once the engine has it in place: docker's CLI starts the container when
     * that answer arrives, and output written before the attach is in place would be lost.
     */
    private static <I> void pump(ApiCall c, boolean tty, boolean awaitAttached,
                                 Function<StreamObserver<OutputChunk>, StreamObserver<I>> open,
                                 I first, Function<byte[], I> stdin, I closeStdin) {
        Relay relay = new Relay(tty);
        StreamObserver<I> in = open.apply(relay);
        in.onNext(first);
        if (awaitAttached) {
            try {
                relay.attached.join();
            } catch (java.util.concurrent.CompletionException e) {
                // the engine refused or ended the stream: the hijacked connection closes below
            }
        }
        boolean upgrade = c.request().header("upgrade").isPresent();
        Raw raw = c.reply().hijack(upgrade, ContainerEndpoints.RAW_STREAM, new RawInput() {
            @Override
            public void data(byte[] bytes) {
                if (!relay.done.isDone()) {
                    in.onNext(stdin.apply(bytes));
                }
            }

            @Override
            public void closed() {
                if (!relay.done.isDone()) {
                    in.onNext(closeStdin);
                }
            }
        });
        relay.connect(raw);
        try {
            relay.done.join();
            in.onCompleted();
        } catch (java.util.concurrent.CompletionException e) {
            // the engine ended the stream with an error or the client left: the connection just closes
        }
        raw.close();
    }

    /** The engine's output to the hijacked connection, kept until the connection is taken over. */
    private static final class Relay implements StreamObserver<OutputChunk> {
        private final boolean tty;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Completes with the engine's {@code attached} message, or with the end of the stream. */
        private final CompletableFuture<Void> attached = new CompletableFuture<>();
        private final List<byte[]> pending = new ArrayList<>();
        private Raw raw;

        Relay(boolean tty) {
            this.tty = tty;
        }

        synchronized void connect(Raw r) {
            raw = r;
            pending.forEach(r::write);
            pending.clear();
        }

        @Override
        public void onNext(OutputChunk chunk) {
            if (chunk.getAttached()) {
                attached.complete(null);
            }
            if (chunk.getExited() || chunk.getData().isEmpty()) {
                return;
            }
            byte[] bytes = Frames.encode(tty, chunk.getStream(), chunk.getData().toByteArray());
            synchronized (this) {
                if (raw == null) {
                    pending.add(bytes);
                } else {
                    raw.write(bytes);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
            attached.complete(null);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
            attached.complete(null);
        }
    }
}
