package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Images of one namespace (containerd {@code metadata/images.go}). */
public final class ImageStore {

    private final Database db;
    private final String namespace;
    private final GcScheduler gc;

    ImageStore(Database db, String namespace, GcScheduler gc) {
        this.db = db;
        this.namespace = namespace;
        this.gc = gc;
    }

    public ImageRecord create(ImageRecord image) throws IOException {
        validate(image);
        return db.write("create image " + image.name(), c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (find(c, image.name()).isPresent()) {
                throw BerthException.alreadyExists("image " + image.name() + ": already exists");
            }
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO images (namespace, name, media_type, digest, "
                    + "size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, namespace);
                ps.setString(2, image.name());
                ps.setString(3, image.target().mediaType());
                ps.setString(4, image.target().digest().toString());
                ps.setLong(5, image.target().size());
                ps.setLong(6, Times.toNanos(now));
                ps.setLong(7, Times.toNanos(now));
                ps.executeUpdate();
            }
            writeMaps(c, image.name(), image.labels(), image.target().annotations());
            return find(c, image.name()).orElseThrow();
        });
    }

    public ImageRecord get(String name) throws IOException {
        return db.read("get image " + name, c -> require(c, name));
    }

    public List<ImageRecord> list() throws IOException {
        return db.read("list images", c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM images WHERE namespace = ? ORDER BY name")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            List<ImageRecord> out = new ArrayList<>();
            for (String name : names) {
                out.add(find(c, name).orElseThrow());
            }
            return out;
        });
    }

    /**
     * Updates the fields named in {@code fieldpaths}: {@code labels}, {@code labels.<key>}, {@code target} (as a
     * whole), {@code annotations}, {@code annotations.<key>}; none means the whole record. Other paths are
     * INVALID_ARGUMENT.
     */
    public ImageRecord update(ImageRecord image, Set<String> fieldpaths) throws IOException {
        String name = image.name();
        return db.write("update image " + name, c -> {
            ImageRecord current = require(c, name);
            ImageRecord updated = fieldpaths.isEmpty() ? image : apply(current, image, fieldpaths);
            validate(updated);
            try (PreparedStatement ps = c.prepareStatement("UPDATE images SET media_type = ?, digest = ?, size = ?, "
                    + "updated_at = ? WHERE namespace = ? AND name = ?")) {
                ps.setString(1, updated.target().mediaType());
                ps.setString(2, updated.target().digest().toString());
                ps.setLong(3, updated.target().size());
                ps.setLong(4, Times.toNanos(db.now()));
                ps.setString(5, namespace);
                ps.setString(6, name);
                ps.executeUpdate();
            }
            writeMaps(c, name, updated.labels(), updated.target().annotations());
            return find(c, name).orElseThrow();
        });
    }

    /**
     * Collects garbage now, in the caller's thread: what the deletes before the call left unreferenced is gone
     * when it returns (the {@code sync} of containerd's image delete; deletes otherwise collect in the background).
     */
    public void collectGarbage() throws IOException {
        gc.collectNow();
    }

    /** Deletes the image record; what only it kept alive is garbage-collected afterwards. */
    public void delete(String name) throws IOException {
        db.write("delete image " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE namespace = ? AND name = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound("image " + name + ": not found");
                }
            }
            return null;
        });
        gc.afterDelete();
    }

    private static ImageRecord apply(ImageRecord current, ImageRecord requested, Set<String> fieldpaths) {
        Map<String, String> labels = new HashMap<>(current.labels());
        Descriptor target = current.target();
        Map<String, String> annotations = new HashMap<>(target.annotations());
        for (String path : fieldpaths) {
            if (path.startsWith("labels.")) {
                String key = path.substring("labels.".length());
                labels.put(key, requested.labels().getOrDefault(key, ""));
            } else if (path.startsWith("annotations.")) {
                String key = path.substring("annotations.".length());
                annotations.put(key, requested.target().annotations().getOrDefault(key, ""));
            } else {
                switch (path) {
                    case "labels" -> labels = new HashMap<>(requested.labels());
                    // the target is replaced as a unit: digest, size and media type only make sense together
                    case "target" -> {
                        target = requested.target();
                        annotations = new HashMap<>(target.annotations());
                    }
                    case "annotations" -> annotations = new HashMap<>(requested.target().annotations());
                    default -> throw BerthException.invalidArgument("cannot update \"" + path + "\" field on image "
                            + current.name());
                }
            }
        }
        Descriptor updatedTarget = new Descriptor(target.mediaType(), target.digest(), target.size(),
                Labels.stored(annotations));
        return ImageRecord.of(current.name(), updatedTarget, Labels.stored(labels));
    }

    private static void validate(ImageRecord image) {
        if (image.name().isEmpty()) {
            throw BerthException.invalidArgument("image name must not be empty");
        }
        Labels.validate(image.labels());
        if (image.target().mediaType().isEmpty()) {
            throw BerthException.invalidArgument("image " + image.name() + ": target media type must not be empty");
        }
    }

    private void writeMaps(Connection c, String name, Map<String, String> labels, Map<String, String> annotations)
            throws SQLException {
        LabelTable.IMAGE.replace(c, labels, namespace, name);
        LabelTable.IMAGE_ANNOTATIONS.replace(c, annotations, namespace, name);
    }

    private ImageRecord require(Connection c, String name) throws SQLException {
        return find(c, name).orElseThrow(() -> BerthException.notFound("image " + name + ": not found"));
    }

    private Optional<ImageRecord> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT media_type, digest, size, created_at, updated_at "
                + "FROM images WHERE namespace = ? AND name = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Descriptor target = new Descriptor(rs.getString(1), Digest.parse(rs.getString(2)), rs.getLong(3),
                        LabelTable.IMAGE_ANNOTATIONS.read(c, namespace, name));
                return Optional.of(new ImageRecord(name, target, LabelTable.IMAGE.read(c, namespace, name),
                        Times.fromNanos(rs.getLong(4)), Times.fromNanos(rs.getLong(5))));
            }
        }
    }
}
