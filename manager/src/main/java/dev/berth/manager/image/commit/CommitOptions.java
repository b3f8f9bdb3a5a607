package dev.berth.manager.image.commit;

import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ImageCommitter} records.
 *
 * @param reference the new image's name (normalized as {@link ImageReference})
 * @param author    the config's {@code author} and the new history entry's; empty for none
 * @param comment   the new history entry's comment; empty for none
 * @param changes   Dockerfile-style instructions applied to the config ({@code CMD ["sh"]}, {@code ENV A=b}, …)
 * @param platform  the platform of the container's image to build on
 */
public record CommitOptions(String reference, String author, String comment, List<String> changes,
                            Platform platform) {
    public CommitOptions {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(comment, "comment");
        changes = List.copyOf(changes);
        Objects.requireNonNull(platform, "platform");
    }

    /** Just a name: no author, comment or changes, linux/amd64. */
    public static CommitOptions of(String reference) {
        return new CommitOptions(reference, "", "", List.of(), Platform.LINUX_AMD64);
    }

    public CommitOptions withAuthor(String a) {
        return new CommitOptions(reference, a, comment, changes, platform);
    }

    public CommitOptions withComment(String c) {
        return new CommitOptions(reference, author, c, changes, platform);
    }

    public CommitOptions withChanges(List<String> c) {
        return new CommitOptions(reference, author, comment, c, platform);
    }
}
