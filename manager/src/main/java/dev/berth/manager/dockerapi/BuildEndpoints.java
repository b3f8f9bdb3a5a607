package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.api.services.build.v1.BuildOptions;
import dev.berth.api.services.build.v1.BuildProgress;
import dev.berth.api.services.build.v1.BuildRequest;
import dev.berth.log.Log;
import dev.berth.manager.dockerapi.http.Chunks;
import dev.berth.model.DockerJson;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /build}: the request body (the context tar, gzip allowed) and docker's query parameters ({@code t},
 * {@code dockerfile}, {@code buildargs}, {@code labels}, {@code target}, {@code nocache}, {@code pull}, {@code q},
 * {@code networkmode}) to berthd's build service; its output as docker's JSON stream ({@code {"stream":…}}, then
 * {@code {"aux":{"ID":…}}}; a failure after the first line as {@code errorDetail}, with a RUN's exit code). The
 * {@code X-Registry-Config} header is ignored: berthd pulls base images with its own registry configuration.
 * The body is passed on as it arrives, at the build service's pace ({@link Upload}).
 */
final class BuildEndpoints {
    private static final Log LOG = Log.of(BuildEndpoints.class);
    private static final Pattern EXIT_CODE = Pattern.compile("returned a non-zero code: (\\d+)");

    private final Stubs stubs;

    BuildEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.addStreamed("POST", "/build", this::build);
    }

    private void build(ApiCall c) {
        if (c.query("remote").isPresent()) {
            throw ApiException.notImplemented("builds from a remote context (remote=) are not supported by berthd");
        }
        if (c.request().header("X-Registry-Config").isPresent()) {
            LOG.debug("build: X-Registry-Config ignored (berthd pulls with its own registry configuration)");
        }
        BuildOptions.Builder options = BuildOptions.newBuilder().setDockerfile(c.query("dockerfile", ""))
                .addAllTags(c.request().queryAll("t").stream().filter(t -> !t.isEmpty()).toList())
                .setTarget(c.query("target", "")).setNoCache(c.flag("nocache", false)).setPull(c.flag("pull", false))
                .setQuiet(c.flag("q", false)).putAllLabels(map(c, "labels")).putAllBuildArgs(map(c, "buildargs"));
        String network = c.query("networkmode", "");
        options.setNetworkMode(network.equals("default") ? "" : network);
        BlockingQueue<Optional<Object>> answers = new LinkedBlockingQueue<>();
        Upload<BuildRequest, BuildProgress> upload = new Upload<>(new StreamObserver<>() {
            @Override
            public void onNext(BuildProgress p) {
                answers.add(Optional.of(p));
            }

            @Override
            public void onError(Throwable t) {
                answers.add(Optional.of(t));
            }

            @Override
            public void onCompleted() {
                answers.add(Optional.empty());
            }
        });
        stubs.buildsAsync().build(upload);
        try {
            if (upload.send(BuildRequest.newBuilder().setOptions(options).build())) {
                upload.sendBody(context(c.bodyStream()), data -> BuildRequest.newBuilder().setContext(data).build());
            }
        } catch (IOException e) {
            throw ApiException.badRequest("build: read the context: " + e.getMessage());
        }
        upload.endRequests();
        relay(c, answers, options.getQuiet());
    }

    /**
     * The build's answers as JSON lines. The first is taken before the 200 goes out, so a build refused at once
     * (a Dockerfile that does not parse, a bad option) is a plain HTTP error. {@code quiet}: the id is also a
     * stream line, which is all the docker CLI prints then (dockerd's build route does the same).
     */
    private static void relay(ApiCall c, BlockingQueue<Optional<Object>> answers, boolean quiet) {
        Optional<Object> next = take(answers);
        if (next.isPresent() && next.get() instanceof StatusRuntimeException e) {
            throw ApiException.of(e);
        }
        Chunks out = c.reply().stream(200, "application/json", Map.of());
        while (next.isPresent()) {
            if (next.get() instanceof StatusRuntimeException e) {
                out.write(error(ApiException.of(e).getMessage()));
                break;
            }
            BuildProgress p = (BuildProgress) next.get();
            byte[] line = p.getPartCase() == BuildProgress.PartCase.IMAGE_ID
                    ? SystemEndpoints.line(DockerJson.write(Map.of("aux", Map.of("ID", p.getImageId()))))
                    : SystemEndpoints.line(DockerJson.write(Map.of("stream", p.getStream())));
            if (!out.write(line)) {
                return;
            }
            if (quiet && p.getPartCase() == BuildProgress.PartCase.IMAGE_ID) {
                out.write(SystemEndpoints.line(DockerJson.write(Map.of("stream", p.getImageId() + "\n"))));
            }
            next = take(answers);
        }
        out.end();
    }

    private static Optional<Object> take(BlockingQueue<Optional<Object>> answers) {
        try {
            return answers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Status.CANCELLED.withDescription("build: interrupted").asRuntimeException());
        }
    }

    /** docker's error line; a RUN's failure carries its exit code, which the docker CLI exits with. */
    static byte[] error(String message) {
        Matcher m = EXIT_CODE.matcher(message);
        Map<String, Object> detail = new LinkedHashMap<>();
        if (m.find()) {
            detail.put("code", Integer.parseInt(m.group(1)));
        }
        detail.put("message", message);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("errorDetail", detail);
        line.put("error", message);
        return SystemEndpoints.line(DockerJson.write(line));
    }

    /** A JSON object query parameter ({@code buildargs}, {@code labels}); a null value is skipped. */
    private static Map<String, String> map(ApiCall c, String name) {
        Optional<String> v = c.query(name);
        if (v.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parsed;
        try {
            parsed = DockerJson.mapper().readValue(v.get(), new TypeReference<Map<String, String>>() { });
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid " + name + " parameter: " + e.getOriginalMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        parsed.forEach((k, val) -> {
            if (val != null) {
                out.put(k, val);
            }
        });
        return out;
    }

    /** The body as an uncompressed tar (docker build --compress sends gzip). */
    private static InputStream context(InputStream body) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, Upload.CHUNK);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 64 << 10) : in;
    }
}
