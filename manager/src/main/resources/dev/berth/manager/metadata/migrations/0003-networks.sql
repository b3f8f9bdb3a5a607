-- Version 3: networks (manager.network). A network is docker's network document (dev.berth.model.Network) kept
-- as JSON, one per berthd as docker's are per daemon (its bridge device and subnet are host-wide), with a unique
-- name. An endpoint is one container of one namespace attached to one network: the network's manager writes it
-- before it runs CNI ADD and deletes it after DEL, so a network with endpoints cannot be removed (no cascade).

CREATE TABLE networks (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    record     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE network_endpoints (
    network    TEXT    NOT NULL REFERENCES networks (id),
    namespace  TEXT    NOT NULL,
    container  TEXT    NOT NULL,
    record     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (network, namespace, container)
);
