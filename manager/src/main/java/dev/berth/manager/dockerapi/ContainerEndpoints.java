package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.KillContainerRequest;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RenameContainerRequest;
import dev.berth.api.services.engine.v1.ResizeRequest;
import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.TopRequest;
import dev.berth.api.services.engine.v1.TopResponse;
import dev.berth.api.services.engine.v1.UpdateContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.api.services.transfer.v1.CommitRequest;
import dev.berth.api.services.transfer.v1.CommitResponse;
import dev.berth.manager.dockerapi.http.Chunks;
import dev.berth.model.DockerJson;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /containers/…}: create, lifecycle, inspect, list, logs, stats, top, update, changes, prune; commit. */
final class ContainerEndpoints {

    /** docker's content type of attach and logs streams (API 1.41), framed or raw. */
    static final String RAW_STREAM = "application/vnd.docker.raw-stream";

    private final Stubs stubs;
    private final StdioEndpoints stdio;

    ContainerEndpoints(Stubs stubs) {
        this.stubs = stubs;
        this.stdio = new StdioEndpoints(stubs);
    }

    void addTo(Router r) {
        r.add("POST", "/containers/create", this::create)
                .add("GET", "/containers/json", this::list)
                .add("POST", "/containers/prune", this::prune)
                .add("GET", "/containers/{id}/json", c -> c.json(200, stubs.containers().inspect(ref(c))
                        .getJson().toByteArray()))
                .add("POST", "/containers/{id}/start", c -> c.status(
                        stubs.containers().start(ref(c)).getAlreadyRunning() ? 304 : 204))
                .add("POST", "/containers/{id}/stop", c -> c.status(
                        stubs.containers().stop(stop(c)).getAlreadyStopped() ? 304 : 204))
                .add("POST", "/containers/{id}/restart", c -> {
                    stubs.containers().restart(stop(c));
                    c.status(204);
                })
                .add("POST", "/containers/{id}/kill", c -> {
                    stubs.containers().kill(KillContainerRequest.newBuilder().setId(c.param("id"))
                            .setSignal(c.query("signal", "")).build());
                    c.status(204);
                })
                .add("POST", "/containers/{id}/wait", this::await)
                .add("DELETE", "/containers/{id}", c -> {
                    stubs.containers().remove(RemoveContainerRequest.newBuilder().setId(c.param("id"))
                            .setForce(c.flag("force", false)).setVolumes(c.flag("v", false)).build());
                    c.status(204);
                })
                .add("POST", "/containers/{id}/pause", c -> {
                    stubs.containers().pause(ref(c));
                    c.status(204);
                })
                .add("POST", "/containers/{id}/unpause", c -> {
                    stubs.containers().unpause(ref(c));
                    c.status(204);
                })
                .add("POST", "/containers/{id}/rename", c -> {
                    stubs.containers().rename(RenameContainerRequest.newBuilder().setId(c.param("id"))
                            .setName(c.query("name").orElseThrow(() -> ApiException.badRequest("name is required")))
                            .build());
                    c.status(204);
                })
                .add("POST", "/containers/{id}/resize", c -> {
                    stubs.containers().resize(resize(c, c.param("id")));
                    c.status(200);
                })
                .add("GET", "/containers/{id}/top", this::top)
                .add("GET", "/containers/{id}/stats", this::stats)
                .add("POST", "/containers/{id}/update", c -> c.json(200, Map.of("Warnings",
                        stubs.containers().update(UpdateContainerRequest.newBuilder().setId(c.param("id"))
                                .setUpdate(ByteString.copyFrom(c.body())).build()).getWarningsList())))
                .add("GET", "/containers/{id}/changes", c -> c.json(200, stubs.containers().changes(ref(c))
                        .getJson().toByteArray()))
                .add("GET", "/containers/{id}/logs", this::logs)
                .add("POST", "/commit", this::commit);
        stdio.addTo(r);
        new ArchiveEndpoints(stubs).addTo(r);
    }

    static ContainerRef ref(ApiCall c) {
        return ContainerRef.newBuilder().setId(c.param("id")).build();
    }

    static ResizeRequest resize(ApiCall c, String id) {
        return ResizeRequest.newBuilder().setId(id).setHeight(c.number("h").orElse(0L).intValue())
                .setWidth(c.number("w").orElse(0L).intValue()).build();
    }

    private static StopContainerRequest stop(ApiCall c) {
        StopContainerRequest.Builder b = StopContainerRequest.newBuilder().setId(c.param("id"))
                .setSignal(c.query("signal", ""));
        c.number("t").ifPresent(t -> b.setTimeoutSeconds(t.intValue()));
        return b.build();
    }

    /** docker's create body is the ContainerConfig with HostConfig and NetworkingConfig inside it. */
    private void create(ApiCall c) {
        JsonNode body = c.bodyJson();
        if (!(body instanceof ObjectNode config)) {
            throw ApiException.badRequest("invalid JSON: want an object");
        }
        JsonNode host = config.remove("HostConfig");
        JsonNode net = config.remove("NetworkingConfig");
        CreateContainerRequest.Builder req = CreateContainerRequest.newBuilder().setName(c.query("name", ""))
                .setConfig(ByteString.copyFrom(DockerJson.write(config)));
        if (host != null && !host.isNull()) {
            req.setHostConfig(ByteString.copyFrom(DockerJson.write(host)));
        }
        if (net != null && !net.isNull()) {
            req.setNetworkingConfig(ByteString.copyFrom(DockerJson.write(net)));
        }
        CreateContainerResponse res = stubs.containers().create(req.build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", res.getId());
        out.put("Warnings", res.getWarningsList());
        c.json(201, out);
    }

    private void list(ApiCall c) {
        ListContainersRequest.Builder req = ListContainersRequest.newBuilder().setAll(c.flag("all", false))
                .setSize(c.flag("size", false)).putAllFilters(Filters.parse(c.query("filters")));
        c.number("limit").filter(l -> l > 0).ifPresent(l -> req.setLimit(l.intValue()));
        c.json(200, stubs.containers().list(req.build()).getJson().toByteArray());
    }

    private void prune(ApiCall c) {
        PruneResponse res = stubs.containers().prune(PruneRequest.newBuilder()
                .putAllFilters(Filters.parse(c.query("filters"))).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ContainersDeleted", res.getDeletedList());
        out.put("SpaceReclaimed", res.getSpaceReclaimed());
        c.json(200, out);
    }

    /**
     * The 200 headers go out once the engine has the wait in place (docker's CLI sends wait before start and
     * reads the headers before it starts the container); the status follows when the condition is met.
     */
    private void await(ApiCall c) {
        Iterator<WaitContainerResponse> it = stubs.containers().wait(WaitContainerRequest.newBuilder()
                .setId(c.param("id")).setCondition(c.query("condition", "not-running")).build());
        Chunks out = null;
        try {
            while (it.hasNext()) {
                WaitContainerResponse w = it.next();
                if (out == null) {
                    out = c.reply().stream(200, "application/json", Map.of());
                }
                if (!w.getWaiting()) {
                    ObjectNode status = DockerJson.mapper().createObjectNode().put("StatusCode", w.getStatusCode());
                    if (w.getError().isEmpty()) {
                        status.putNull("Error"); // docker's body has "Error": null, not no Error
                    } else {
                        status.putObject("Error").put("Message", w.getError());
                    }
                    out.write(SystemEndpoints.line(status.toString().getBytes(StandardCharsets.UTF_8)));
                    break;
                }
            }
        } catch (StatusRuntimeException e) {
            if (out == null) {
                throw e;
            }
            out.write(SystemEndpoints.line(DockerJson.write(Map.of("StatusCode", -1,
                    "Error", Map.of("Message", ApiException.of(e).getMessage())))));
        }
        if (out != null) {
            out.end();
        }
    }

    private void top(ApiCall c) {
        TopResponse res = stubs.containers().top(TopRequest.newBuilder().setId(c.param("id"))
                .setPsArgs(c.query("ps_args", "")).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Titles", res.getTitlesList());
        out.put("Processes", res.getProcessesList().stream().map(p -> p.getColumnsList()).toList());
        c.json(200, out);
    }

    /** One document ({@code stream=0} or {@code one-shot}), or one JSON line per second until the client leaves. */
    private void stats(ApiCall c) {
        boolean stream = c.flag("stream", true);
        Iterator<JsonDocument> it = stubs.containers().stats(StatsRequest.newBuilder().setId(c.param("id"))
                .setStream(stream).setOneShot(!stream && c.flag("one-shot", false)).build());
        if (!stream) {
            if (!it.hasNext()) {
                throw new ApiException(500, "stats " + c.param("id") + ": engine answered nothing");
            }
            c.json(200, it.next().getJson().toByteArray());
            return;
        }
        Chunks out = null;
        try {
            while (it.hasNext()) {
                JsonDocument d = it.next();
                if (out == null) {
                    out = c.reply().stream(200, "application/json", Map.of());
                }
                if (!out.write(SystemEndpoints.line(d.getJson().toByteArray()))) {
                    return;
                }
            }
        } catch (StatusRuntimeException e) {
            if (out == null) {
                throw e;
            }
        }
        if (out != null) {
            out.end();
        } else {
            c.json(200, new byte[0]);
        }
    }

    /**
     * The log as docker's stream: framed unless the container has a terminal; with {@code timestamps} each chunk
     * is prefixed with its RFC 3339 time. A follow ends when the container stops or the client leaves.
     */
    private void logs(ApiCall c) {
        boolean tty = StdioEndpoints.tty(stubs, c.param("id"));
        boolean stdout = c.flag("stdout", false);
        boolean stderr = c.flag("stderr", false);
        if (!stdout && !stderr) {
            throw ApiException.badRequest("Bad parameters: you must choose at least one stream");
        }
        LogsRequest.Builder req = LogsRequest.newBuilder().setId(c.param("id")).setFollow(c.flag("follow", false))
                .setStdout(stdout).setStderr(stderr);
        String tail = c.query("tail", "all");
        if (!tail.equals("all")) {
            try {
                req.setTail(Long.parseLong(tail));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid value for tail: " + tail);
            }
        }
        Times.parse("since", c.query("since")).ifPresent(req::setSince);
        Times.parse("until", c.query("until")).ifPresent(req::setUntil);
        boolean timestamps = c.flag("timestamps", false);
        Iterator<OutputChunk> it = stubs.containers().logs(req.build());
        Chunks out = null;
        try {
            while (it.hasNext()) {
                OutputChunk chunk = it.next();
                if (out == null) {
                    out = c.reply().stream(200, RAW_STREAM, Map.of());
                }
                byte[] data = chunk.getData().toByteArray();
                if (timestamps && chunk.hasTime()) {
                    byte[] stamp = (DateTimeFormatter.ISO_INSTANT.format(Times.instant(chunk.getTime())) + " ")
                            .getBytes(StandardCharsets.UTF_8);
                    byte[] both = new byte[stamp.length + data.length];
                    System.arraycopy(stamp, 0, both, 0, stamp.length);
                    System.arraycopy(data, 0, both, stamp.length, data.length);
                    data = both;
                }
                if (!out.write(Frames.encode(tty, chunk.getStream(), data))) {
                    return;
                }
            }
        } catch (StatusRuntimeException e) {
            if (out == null) {
                throw e;
            }
        }
        if (out == null) {
            out = c.reply().stream(200, RAW_STREAM, Map.of());
        }
        out.end();
    }

    /** {@code POST /commit}: the container's changes as a new image, answered with the image's id. */
    private void commit(ApiCall c) {
        String container = c.query("container").orElseThrow(() -> ApiException.badRequest("container is required"));
        String repo = c.query("repo", "");
        String reference = repo.isEmpty() ? "" : repo + ":" + c.query("tag", "latest");
        JsonNode config = c.bodyJson();
        // docker names the container by name, id or prefix; the transfer service takes the full id
        String id = StdioEndpoints.inspect(stubs, container).path("Id").asText(container);
        CommitRequest.Builder req = CommitRequest.newBuilder().setContainerId(id).setReference(reference)
                .setAuthor(c.query("author", "")).setComment(c.query("comment", ""))
                .setPause(c.flag("pause", true)).addAllChanges(c.request().queryAll("changes"));
        if (config.size() > 0) {
            throw ApiException.notImplemented("commit: a config in the request body is not supported; "
                    + "use changes (docker commit --change)");
        }
        CommitResponse res = stubs.transfer().commit(req.build());
        String name = res.getImage().getName();
        c.json(201, Map.of("Id", name.isEmpty() ? res.getImage().getTarget().getDigest()
                : ImageEndpoints.id(stubs, name)));
    }
}
