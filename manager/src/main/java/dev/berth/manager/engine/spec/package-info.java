/**
 * The engine's OCI runtime spec: {@code SpecBuilder} makes a container's {@code config.json} from docker's merged
 * container configuration and host configuration, with docker's defaults (moby's default Linux spec, its 14
 * capabilities, Berth's default seccomp profile, masked and read-only {@code /proc} paths, a private 64 MB
 * {@code /dev/shm}), the user and groups resolved from the image's {@code /etc/passwd} and {@code /etc/group}, and
 * the container's {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf} written into the engine's
 * per-container directory and bind-mounted.
 */
package dev.berth.manager.engine.spec;
