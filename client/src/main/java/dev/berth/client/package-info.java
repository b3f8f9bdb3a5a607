/**
 * The Java client of berthd's engine, for embedders and the berth CLI: {@link dev.berth.client.Berth} (a unix
 * socket, or a channel the embedder has, bound to a namespace) with typed calls for containers, images, volumes
 * and the daemon, in docker's vocabulary. Configurations are the model's records ({@code ContainerConfig},
 * {@code HostConfig}); inspect and list answers are docker's JSON documents; streams (logs, stats, events) are
 * Java streams that cancel their call when closed; attach and exec are {@link dev.berth.client.Attachment}s.
 * Every refused call throws {@link dev.berth.client.DaemonException}, which carries the error's kind and the
 * daemon's message.
 */
package dev.berth.client;
