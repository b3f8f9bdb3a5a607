/**
 * docker's container configuration as Java records, in the shapes and JSON names of the Docker Engine API 1.41:
 * {@link dev.berth.model.ContainerConfig} (also the {@code config} of an OCI image config), {@link
 * dev.berth.model.HostConfig} and the values inside them. One schema for every side of the engine: berthd's engine
 * reads them, the client library and the CLI write them, and the Docker API adapter passes docker's JSON through.
 *
 * <p>Conventions: an absent field is {@code null} (docker's omitempty) and is left out when written; unknown
 * fields are ignored when read (newer clients send more); lists and maps are never shared mutable state (the
 * records copy what they are given). {@link dev.berth.model.DockerJson} is the one configured mapper.
 */
package dev.berth.model;
