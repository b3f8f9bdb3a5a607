-- Version 2: the engine's records (docker's container model, manager.engine). A container record is the
-- engine's JSON document (docker's Config, HostConfig, State, mounts, restart count, health, …) beside the
-- containerd container of the same id, which holds the spec, the image and the rootfs snapshot. Names are unique
-- per namespace, as docker's are per daemon. Volumes are the engine's named volumes (<root>/volumes/<name>).

CREATE TABLE engine_containers (
    namespace  TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    record     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, id),
    UNIQUE (namespace, name)
);

CREATE TABLE engine_volumes (
    namespace  TEXT    NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    record     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, name)
);
