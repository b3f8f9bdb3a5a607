/**
 * The container's filesystem set-up resolved from the spec: mounts, devices, /dev symlinks, masked paths. It is
 * executed in the container's mount namespace, new or joined by path; a container without one gets no mount at all
 * (a spec that needs one is refused) and is only chrooted ({@code docs/runtime-conformance.md}).
 */
package dev.berth.runtime.rootfs;
