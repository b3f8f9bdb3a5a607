-- Version 1: the first schema (drawn in dev/berth/manager/metadata/package-info.java).
-- Every record lives in a namespace; label-like maps are child tables whose rows go with their owner
-- (ON DELETE CASCADE). Times are nanoseconds since the epoch, UTC.

CREATE TABLE sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO sequence (id, value) VALUES (1, 0);

CREATE TABLE namespaces (
    name       TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE namespace_labels (
    namespace TEXT NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);

CREATE TABLE images (
    namespace  TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    media_type TEXT    NOT NULL,
    digest     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, name)
);

CREATE TABLE image_labels (
    namespace TEXT NOT NULL,
    image     TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, image, key),
    FOREIGN KEY (namespace, image) REFERENCES images (namespace, name) ON DELETE CASCADE
);

CREATE TABLE image_annotations (
    namespace TEXT NOT NULL,
    image     TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, image, key),
    FOREIGN KEY (namespace, image) REFERENCES images (namespace, name) ON DELETE CASCADE
);

CREATE TABLE containers (
    namespace            TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    id                   TEXT    NOT NULL,
    image                TEXT    NOT NULL,
    runtime_name         TEXT    NOT NULL,
    runtime_options_type TEXT    NOT NULL,
    runtime_options      BLOB    NOT NULL,
    spec_type            TEXT    NOT NULL,
    spec                 BLOB    NOT NULL,
    snapshotter          TEXT    NOT NULL,
    snapshot_key         TEXT    NOT NULL,
    sandbox              TEXT    NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    PRIMARY KEY (namespace, id)
);

CREATE TABLE container_labels (
    namespace TEXT NOT NULL,
    container TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, container, key),
    FOREIGN KEY (namespace, container) REFERENCES containers (namespace, id) ON DELETE CASCADE
);

CREATE TABLE container_extensions (
    namespace TEXT NOT NULL,
    container TEXT NOT NULL,
    name      TEXT NOT NULL,
    type_url  TEXT NOT NULL,
    value     BLOB NOT NULL,
    PRIMARY KEY (namespace, container, name),
    FOREIGN KEY (namespace, container) REFERENCES containers (namespace, id) ON DELETE CASCADE
);

CREATE TABLE leases (
    namespace  TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, id)
);

CREATE TABLE lease_labels (
    namespace TEXT NOT NULL,
    lease     TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, lease, key),
    FOREIGN KEY (namespace, lease) REFERENCES leases (namespace, id) ON DELETE CASCADE
);

CREATE TABLE lease_resources (
    namespace TEXT NOT NULL,
    lease     TEXT NOT NULL,
    type      TEXT NOT NULL,
    id        TEXT NOT NULL,
    PRIMARY KEY (namespace, lease, type, id),
    FOREIGN KEY (namespace, lease) REFERENCES leases (namespace, id) ON DELETE CASCADE
);

CREATE TABLE blobs (
    namespace  TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    digest     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, digest)
);

CREATE TABLE blob_labels (
    namespace TEXT NOT NULL,
    digest    TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, digest, key),
    FOREIGN KEY (namespace, digest) REFERENCES blobs (namespace, digest) ON DELETE CASCADE
);

CREATE TABLE ingests (
    namespace   TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    ref         TEXT    NOT NULL,
    backend_ref TEXT    NOT NULL UNIQUE,
    expected    TEXT,
    total       INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    PRIMARY KEY (namespace, ref)
);

CREATE TABLE snapshots (
    namespace   TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    snapshotter TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    backend_key TEXT    NOT NULL,
    parent      TEXT,
    kind        TEXT    NOT NULL CHECK (kind IN ('VIEW', 'ACTIVE', 'COMMITTED')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (namespace, snapshotter, key),
    UNIQUE (snapshotter, backend_key),
    -- deferred: garbage collection removes whole chains in one transaction, in any order
    FOREIGN KEY (namespace, snapshotter, parent) REFERENCES snapshots (namespace, snapshotter, key)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX snapshots_by_parent ON snapshots (namespace, snapshotter, parent);

CREATE TABLE snapshot_labels (
    namespace   TEXT NOT NULL,
    snapshotter TEXT NOT NULL,
    snapshot    TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (namespace, snapshotter, snapshot, key),
    FOREIGN KEY (namespace, snapshotter, snapshot) REFERENCES snapshots (namespace, snapshotter, key)
        ON DELETE CASCADE
);
