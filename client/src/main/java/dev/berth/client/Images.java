package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.ImageRef;
import dev.berth.api.services.engine.v1.ListImagesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveImageRequest;
import dev.berth.api.services.engine.v1.TagImageRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Images in docker's vocabulary (the engine's Images service); pulls and pushes go through berthd's transfer
 * service, which reports progress per object.
 */
public final class Images {
    private final Stubs stubs;

    Images(Stubs stubs) {
        this.stubs = stubs;
    }

    /**
     * Pulls {@code reference} (a normalized name such as {@code docker.io/library/busybox:latest}); each progress
     * step goes to {@code progress} as it arrives. The images berthd recorded.
     */
    public List<Results.PulledImage> pull(String reference, Consumer<Results.Progress> progress) {
        return pull(reference, "", progress);
    }

    /** As {@link #pull(String, Consumer)} for {@code platform} ({@code os/arch[/variant]}, empty for the host's). */
    public List<Results.PulledImage> pull(String reference, String platform, Consumer<Results.Progress> progress) {
        return follow(Calls.call(() -> stubs.transfer().pull(PullRequest.newBuilder().setReference(reference)
                .setPlatform(platform).build())), progress);
    }

    /** Pushes local image {@code image} to {@code reference} (empty for the image's own name). */
    public List<Results.PulledImage> push(String image, String reference, Consumer<Results.Progress> progress) {
        return follow(Calls.call(() -> stubs.transfer().push(PushRequest.newBuilder().setImage(image)
                .setReference(reference).build())), progress);
    }

    private static List<Results.PulledImage> follow(Iterator<Progress> steps, Consumer<Results.Progress> progress) {
        List<Results.PulledImage> images = List.of();
        while (Calls.call(steps::hasNext)) {
            Progress p = Calls.call(steps::next);
            if (!p.getImagesList().isEmpty()) {
                images = p.getImagesList().stream()
                        .map(i -> new Results.PulledImage(i.getName(), i.getTarget().getDigest(),
                                i.getTarget().getSize())).toList();
            }
            progress.accept(new Results.Progress(p.getId(), p.getStatus(), p.getOffset(), p.getTotal(),
                    p.getMediaType()));
        }
        return images;
    }

    /** docker's image summaries: a JSON array. */
    public JsonNode list(boolean all, Map<String, List<String>> filters) {
        return Calls.json(Calls.call(() -> stubs.images().list(ListImagesRequest.newBuilder().setAll(all)
                .putAllFilters(Calls.filters(filters)).build())));
    }

    /** docker's image JSON ({@code Id}, {@code RepoTags}, {@code Config}, {@code RootFS}, …). */
    public JsonNode inspect(String name) {
        return Calls.json(Calls.call(() -> stubs.images().inspect(ImageRef.newBuilder().setName(name).build())));
    }

    public JsonNode history(String name) {
        return Calls.json(Calls.call(() -> stubs.images().history(ImageRef.newBuilder().setName(name).build())));
    }

    public void tag(String source, String target) {
        Calls.call(() -> stubs.images().tag(TagImageRequest.newBuilder().setSource(source).setTarget(target)
                .build()));
    }

    /** docker's [{"Untagged": …}, {"Deleted": …}]; an image in use is refused unless {@code force}. */
    public JsonNode remove(String name, boolean force, boolean noPrune) {
        return Calls.json(Calls.call(() -> stubs.images().remove(RemoveImageRequest.newBuilder().setName(name)
                .setForce(force).setNoPrune(noPrune).build())));
    }

    /**
     * docker's image prune: dangling images unless the filter {@code dangling=false} (then every unused one),
     * {@code until}, {@code label}, {@code label!}; what went, in docker's {@code ImagesDeleted} order.
     */
    public Results.ImagesPruned prune(Map<String, List<String>> filters) {
        PruneResponse r = Calls.call(() -> stubs.images().prune(PruneRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build()));
        return new Results.ImagesPruned(r.getImageDeletesList().stream().map(d -> d.getUntagged().isEmpty()
                ? new Results.ImageDeleted(false, d.getDeleted()) : new Results.ImageDeleted(true, d.getUntagged()))
                .toList(), r.getSpaceReclaimed());
    }
}
