/**
 * What the integration tests share: {@link dev.berth.it.support.OciRuntime} (a typed client of a runc-compatible
 * command line with a private {@code --root}), {@link dev.berth.it.support.Bundle} (busybox rootfs and
 * {@code config.json}), {@link dev.berth.it.support.ContainerTest} (temp roots and clean-up), host-side probes
 * (cgroups, mounts, processes) and {@link dev.berth.it.support.RuncDeviation}, the one list of the reference runc's
 * known differences, and {@link dev.berth.it.support.NetnsHttp} (HTTP on a private network namespace's loopback).
 * JSON, tar, images and the registry come from the test-support module
 * ({@code dev.berth.testsupport}).
 */
package dev.berth.it.support;
