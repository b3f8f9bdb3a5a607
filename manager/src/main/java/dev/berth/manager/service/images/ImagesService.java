package dev.berth.manager.service.images;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.events.ImageCreate;
import dev.berth.api.events.ImageDelete;
import dev.berth.api.events.ImageUpdate;
import dev.berth.api.services.images.v1.CreateImageRequest;
import dev.berth.api.services.images.v1.CreateImageResponse;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.GetImageRequest;
import dev.berth.api.services.images.v1.GetImageResponse;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.images.v1.ListImagesRequest;
import dev.berth.api.services.images.v1.ListImagesResponse;
import dev.berth.api.services.images.v1.UpdateImageRequest;
import dev.berth.api.services.images.v1.UpdateImageResponse;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Descriptors;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code containerd.services.images.v1.Images}: a thin adapter over a namespace's {@link ImageStore}. */
public final class ImagesService extends ImagesGrpc.ImagesImplBase {

    /**
     * Stands in for the target of an update whose mask does not name {@code target}: the store reads only the
     * masked fields, and containerd's clients send an empty target with such masks (ctr's label updates do).
     */
    private static final Digest UNUSED = Digest.parse("sha256:" + "0".repeat(64));

    private final ImageStores stores;
    private final Publisher publisher;

    public ImagesService(ImageStores stores, Publisher publisher) {
        this.stores = stores;
        this.publisher = publisher;
    }

    @Override
    public void get(GetImageRequest req, StreamObserver<GetImageResponse> response) {
        Calls.unary(response, () -> GetImageResponse.newBuilder()
                .setImage(toProto(stores.open(RequestMetadata.namespace("get image")).get(req.getName()))).build());
    }

    @Override
    public void list(ListImagesRequest req, StreamObserver<ListImagesResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            ListImagesResponse.Builder out = ListImagesResponse.newBuilder();
            for (ImageRecord image : stores.open(RequestMetadata.namespace("list images")).list()) {
                if (filter.matches(path -> field(image, path))) {
                    out.addImages(toProto(image));
                }
            }
            return out.build();
        });
    }

    @Override
    public void create(CreateImageRequest req, StreamObserver<CreateImageResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("create image");
            Image image = named(req.getImage());
            ImageRecord created = stores.open(ns).create(ImageRecord.of(image.getName(),
                    Descriptors.fromProto("create image " + image.getName(), image.getTarget()),
                    image.getLabelsMap()));
            publisher.publish(ns, Topics.IMAGE_CREATE, ImageCreate.newBuilder().setName(created.name())
                    .putAllLabels(created.labels()).build());
            return CreateImageResponse.newBuilder().setImage(toProto(created)).build();
        });
    }

    /** Updates the masked fields ({@code labels[.<key>]}, {@code target}, {@code annotations[.<key>]}) or all. */
    @Override
    public void update(UpdateImageRequest req, StreamObserver<UpdateImageResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("update image");
            Image image = named(req.getImage());
            Set<String> paths = Protos.paths(req.getUpdateMask());
            ImageRecord updated = stores.open(ns).update(ImageRecord.of(image.getName(), target(image, paths),
                    image.getLabelsMap()), paths);
            publisher.publish(ns, Topics.IMAGE_UPDATE, ImageUpdate.newBuilder().setName(updated.name())
                    .putAllLabels(updated.labels()).build());
            return UpdateImageResponse.newBuilder().setImage(toProto(updated)).build();
        });
    }

    /**
     * Deletes the image record. What it left unreferenced is collected in the background, or before the answer
     * with {@code sync}, as containerd does.
     */
    @Override
    public void delete(DeleteImageRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("delete image");
            ImageStore store = stores.open(ns);
            store.delete(req.getName());
            if (req.getSync()) {
                store.collectGarbage();
            }
            publisher.publish(ns, Topics.IMAGE_DELETE, ImageDelete.newBuilder().setName(req.getName()).build());
            return Empty.getDefaultInstance();
        });
    }

    /** containerd's check before create and update: the image must have a name. */
    private static Image named(Image image) {
        if (image.getName().isEmpty()) {
            throw BerthException.invalidArgument("Image.Name required");
        }
        return image;
    }

    /** The request's target, or a stand-in carrying its annotations when the mask leaves the target alone. */
    private static Descriptor target(Image image, Set<String> paths) {
        dev.berth.api.types.Descriptor t = image.getTarget();
        if (!paths.isEmpty() && !paths.contains("target") && t.getDigest().isEmpty()) {
            return new Descriptor(t.getMediaType(), UNUSED, 0, t.getAnnotationsMap());
        }
        return Descriptors.fromProto("update image " + image.getName(), t);
    }

    /** containerd's image filter fields; a field with an empty value is absent. */
    private static Optional<String> field(ImageRecord image, List<String> path) {
        String value = switch (path.getFirst()) {
            case "name" -> image.name();
            case "target" -> path.size() != 2 ? null : switch (path.get(1)) {
                case "digest" -> image.target().digest().toString();
                case "mediatype" -> image.target().mediaType();
                default -> null;
            };
            case "labels" -> entry(image.labels(), path);
            case "annotations" -> entry(image.target().annotations(), path);
            default -> null;
        };
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static String entry(Map<String, String> map, List<String> path) {
        return path.size() == 2 ? map.get(path.get(1)) : null;
    }

    static Image toProto(ImageRecord image) {
        return Image.newBuilder()
                .setName(image.name())
                .putAllLabels(image.labels())
                .setTarget(Descriptors.toProto(image.target()))
                .setCreatedAt(Protos.timestamp(image.createdAt()))
                .setUpdatedAt(Protos.timestamp(image.updatedAt()))
                .build();
    }
}
