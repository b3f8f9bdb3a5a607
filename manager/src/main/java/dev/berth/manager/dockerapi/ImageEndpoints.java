package dev.berth.manager.dockerapi;

import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.ImageRef;
import dev.berth.api.services.engine.v1.ListImagesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveImageRequest;
import dev.berth.api.services.engine.v1.TagImageRequest;
import dev.berth.api.services.transfer.v1.ExportChunk;
import dev.berth.api.services.transfer.v1.ExportRequest;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import dev.berth.manager.dockerapi.http.Chunks;
import dev.berth.model.DockerJson;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /images/…}: pull (create), push, load and get through the transfer service, with docker's JSON progress
 * streams; list, inspect, history, tag, remove, prune through the engine's Images service. Search answers 501.
 * A client's {@code X-Registry-Auth} credentials are used for its pull or push only; without them berthd's own
 * ({@code [berth.registry]}) are.
 */
final class ImageEndpoints {

    private final Stubs stubs;

    ImageEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("POST", "/images/create", this::pull)
                .add("GET", "/images/json", this::list)
                .addStreamed("POST", "/images/load", this::load)
                .add("GET", "/images/get", c -> export(c, c.request().queryAll("names")))
                .add("POST", "/images/prune", this::prune)
                .add("GET", "/images/search", c -> {
                    throw ApiException.notImplemented("image search is not supported by berthd: registries are "
                            + "searched with their own tools");
                })
                .add("GET", "/images/{name*}/json", c -> c.json(200, stubs.images().inspect(ref(c)).getJson()
                        .toByteArray()))
                .add("GET", "/images/{name*}/history", c -> c.json(200, stubs.images().history(ref(c)).getJson()
                        .toByteArray()))
                .add("GET", "/images/{name*}/get", c -> export(c, List.of(c.param("name"))))
                .add("POST", "/images/{name*}/tag", this::tag)
                .add("POST", "/images/{name*}/push", this::push)
                .add("DELETE", "/images/{name*}", c -> c.json(200, stubs.images().remove(RemoveImageRequest
                        .newBuilder().setName(c.param("name")).setForce(c.flag("force", false))
                        .setNoPrune(c.flag("noprune", false)).build()).getJson().toByteArray()));
    }

    private static ImageRef ref(ApiCall c) {
        return ImageRef.newBuilder().setName(c.param("name")).build();
    }

    /** The image's id ({@code sha256:} of its config), as docker answers after a commit. */
    static String id(Stubs stubs, String name) {
        byte[] doc = stubs.images().inspect(ImageRef.newBuilder().setName(name).build()).getJson().toByteArray();
        try {
            return DockerJson.mapper().readTree(doc).path("Id").asText();
        } catch (IOException e) {
            throw new ApiException(500, "inspect image " + name + ": engine answered invalid JSON");
        }
    }

    /** docker's short name: {@code docker.io/library/busybox:latest} is {@code busybox:latest}. */
    static String familiar(String name) {
        if (name.startsWith("docker.io/library/")) {
            return name.substring("docker.io/library/".length());
        }
        return name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    }

    private void list(ApiCall c) {
        Map<String, FilterValues> filters = new LinkedHashMap<>(Filters.parse(c.query("filters")));
        c.query("filter").ifPresent(f -> filters.put("reference", FilterValues.newBuilder().addValues(f).build()));
        c.json(200, stubs.images().list(ListImagesRequest.newBuilder().setAll(c.flag("all", false))
                .putAllFilters(filters).build()).getJson().toByteArray());
    }

    private void tag(ApiCall c) {
        String repo = c.query("repo").orElseThrow(() -> ApiException.badRequest("repo is required"));
        String target = repo + ":" + c.query("tag", "latest");
        stubs.images().tag(TagImageRequest.newBuilder().setSource(c.param("name")).setTarget(target).build());
        c.status(201);
    }

    private void prune(ApiCall c) {
        PruneResponse res = stubs.images().prune(PruneRequest.newBuilder()
                .putAllFilters(Filters.parse(c.query("filters"))).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ImagesDeleted", res.getImageDeletesList().stream().map(d -> d.getUntagged().isEmpty()
                ? Map.of("Deleted", d.getDeleted()) : Map.of("Untagged", d.getUntagged())).toList());
        out.put("SpaceReclaimed", res.getSpaceReclaimed());
        c.json(200, out);
    }

    /** {@code POST /images/create?fromImage=&tag=}: a pull, answered with docker's progress stream. */
    private void pull(ApiCall c) {
        if (c.query("fromSrc").isPresent()) {
            throw ApiException.notImplemented("image import from a URL or body (fromSrc) is not supported; "
                    + "use docker load");
        }
        String from = c.query("fromImage").orElseThrow(() -> ApiException.badRequest("fromImage is required"));
        String tag = c.query("tag", "");
        String reference = tag.isEmpty() ? from : from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
        if (tag.isEmpty() && !from.substring(from.lastIndexOf('/') + 1).contains(":") && !from.contains("@")) {
            reference = from + ":latest";
        }
        PullRequest.Builder req = PullRequest.newBuilder().setReference(reference).setPlatform(c.query("platform", ""));
        RegistryAuthHeader.of(c).ifPresent(req::setAuth);
        Iterator<Progress> it = stubs.transfer().pull(req.build());
        ProgressJson progress = ProgressJson.pull(familiar(reference));
        relay(c, it, progress);
    }

    private void push(ApiCall c) {
        String name = c.param("name");
        String tag = c.query("tag", "");
        String reference = tag.isEmpty() ? name : name + ":" + tag;
        PushRequest.Builder req = PushRequest.newBuilder().setImage(reference);
        RegistryAuthHeader.of(c).ifPresent(req::setAuth);
        Iterator<Progress> it = stubs.transfer().push(req.build());
        relay(c, it, ProgressJson.push(reference, tag.isEmpty() ? "latest" : tag));
    }

    /**
     * The transfer's progress as docker's JSON lines. The first message is read before the 200 goes out, so a
     * refused transfer (no such image, unknown registry) is a plain HTTP error; later errors are docker's
     * {@code errorDetail} line.
     */
    private static void relay(ApiCall c, Iterator<Progress> it, ProgressJson progress) {
        boolean any = it.hasNext();
        Chunks out = c.reply().stream(200, "application/json", Map.of());
        try {
            if (any) {
                for (byte[] line : progress.first()) {
                    out.write(line);
                }
            }
            while (any) {
                for (byte[] line : progress.lines(it.next())) {
                    if (!out.write(line)) {
                        return;
                    }
                }
                any = it.hasNext();
            }
            for (byte[] line : progress.last()) {
                out.write(line);
            }
        } catch (StatusRuntimeException e) {
            out.write(ProgressJson.error(ApiException.of(e).getMessage()));
        }
        out.end();
    }

    /**
     * {@code POST /images/load}: a {@code docker save} (or OCI) archive imported as it arrives; "Loaded image: …"
     * per image. A body cut short cancels the import, which then records nothing.
     */
    private void load(ApiCall c) {
        Upload<ImportRequest, Progress> upload = new Upload<>();
        stubs.transferAsync().import_(upload);
        List<Image> loaded;
        try {
            upload.send(ImportRequest.newBuilder().setOptions(ImportOptions.getDefaultInstance()).build());
            upload.sendBody(c.bodyStream(), data -> ImportRequest.newBuilder().setData(data).build());
        } catch (IOException e) {
            throw ApiException.badRequest("load: " + e.getMessage());
        }
        loaded = upload.finish().stream().flatMap(p -> p.getImagesList().stream()).toList();
        Chunks out = c.reply().stream(200, "application/json", Map.of());
        for (Image image : loaded) {
            String line = image.getName().isEmpty() ? "Loaded image ID: " + image.getTarget().getDigest()
                    : "Loaded image: " + familiar(image.getName());
            out.write(SystemEndpoints.line(DockerJson.write(Map.of("stream", line + "\n"))));
        }
        out.end();
    }

    /** {@code docker save}: a docker-format archive of the named images. */
    private void export(ApiCall c, List<String> names) {
        if (names.isEmpty()) {
            throw ApiException.badRequest("names is required");
        }
        Iterator<ExportChunk> it = stubs.transfer().export(ExportRequest.newBuilder().addAllImages(names)
                .setFormat("docker").build());
        boolean any = it.hasNext(); // a refusal (no such image) comes before the 200
        Chunks out = c.reply().stream(200, "application/x-tar", Map.of());
        try {
            while (any) {
                if (!out.write(it.next().getData().toByteArray())) {
                    return;
                }
                any = it.hasNext();
            }
        } catch (StatusRuntimeException e) {
            out.abort(); // cut short: the archive must not look complete
            return;
        }
        out.end();
    }
}
