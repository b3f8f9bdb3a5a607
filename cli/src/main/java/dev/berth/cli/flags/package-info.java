/**
 * docker's {@code run}/{@code create} flags ({@link dev.berth.cli.flags.RunFlags}, a picocli mixin) and their
 * translation into docker's {@code ContainerConfig} and {@code HostConfig} records
 * ({@link dev.berth.cli.flags.ContainerOptions}): sizes, durations, ports, mounts, devices, ulimits, restart
 * policies, env and label files. Only syntax is checked here; meaning is the engine's.
 */
package dev.berth.cli.flags;
