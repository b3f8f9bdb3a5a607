/**
 * {@code berth}, the docker-like client of berthd: {@code Main} and the root command (global options
 * {@code --address}, {@code --namespace}, {@code --log-dir}, {@code --snapshotter}).
 *
 * <p>Packages, each using only those listed after it:
 * <ul>
 *   <li>{@code command}: one picocli class per verb; parse, call, print, exit code
 *   <li>{@code container}: the container lifecycle over containerd's API ({@code Lifecycle}), ids, stdio FIFOs,
 *       log files, docker's state words
 *   <li>{@code image}: image names (docker's normalization), reading manifests and configs, pull/push progress
 *   <li>{@code spec}: the OCI runtime spec of a new container (containerd's default Unix spec + image config)
 *   <li>{@code terminal}: raw mode, size and SIGWINCH through stty; signal forwarding
 *   <li>{@code output}: docker's tables, times and sizes, and its per-layer progress bars on a terminal
 *   <li>{@code client}: the gRPC connection (unix socket, namespace metadata) and the CLI's errors and exit codes
 * </ul>
 *
 * <p>Exit codes are docker's: a container's own for {@code run} and {@code exec}, 125 when the daemon or the CLI
 * fails (including bad flags), 126 when the command cannot be invoked, 127 when it is not found.
 */
package dev.berth.cli;
