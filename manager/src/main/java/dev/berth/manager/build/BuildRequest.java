package dev.berth.manager.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to build, as {@code docker build}'s options say it.
 *
 * @param dockerfile     the Dockerfile's path in the context ({@code Dockerfile} when empty)
 * @param dockerfileText the Dockerfile itself when it does not come from the context ({@code -f -})
 * @param tags           names for the image, normalized as references
 * @param target         the stage to build; empty for the last
 * @param noCache        build every step even when the cache has it
 * @param pull           pull base images even when present
 * @param labels         labels added to the image (a last {@code LABEL} step)
 * @param buildArgs      {@code --build-arg} values; {@code SOURCE_DATE_EPOCH} among them fixes times
 * @param quiet          no step output
 * @param networkMode    the RUN containers' network ({@code none} when empty)
 */
public record BuildRequest(String dockerfile, Optional<String> dockerfileText, List<String> tags, String target,
                           boolean noCache, boolean pull, Map<String, String> labels, Map<String, String> buildArgs,
                           boolean quiet, String networkMode) {
    public BuildRequest {
        tags = List.copyOf(tags);
        labels = Map.copyOf(labels);
        buildArgs = Map.copyOf(buildArgs);
    }
}
