/**
 * {@code berth}, the docker-like client of berthd, a thin one: each verb parses docker's flags, calls berthd's
 * engine through the client library ({@code dev.berth.client}) and prints docker's output. {@code Main} reads the
 * global options ({@code --address}/{@code -H}, {@code --namespace}) by hand and answers {@code --help},
 * {@code --version} and the client half of {@code version} without loading picocli, gRPC, Jackson or any verb;
 * {@code Dispatch} loads the one verb it runs.
 *
 * <p>Packages, each using only those listed after it:
 * <ul>
 *   <li>{@code command}: one picocli class per verb; parse, call, print, exit code
 *   <li>{@code flags}: docker's run/create flags into {@code ContainerConfig} and {@code HostConfig}
 *   <li>{@code image}: image names (docker's normalization), reading manifests and configs, pull/push progress
 *   <li>{@code archive}: tar streams and the local side of {@code cp}
 *   <li>{@code terminal}: raw mode, size and SIGWINCH through stty; signal forwarding
 *   <li>{@code output}: docker's tables, times and sizes, Go templates, indented JSON, progress bars
 *   <li>{@code client}: the CLI's errors and exit codes, the raw stubs the image verbs use
 * </ul>
 *
 * <p>Exit codes are docker's: a container's own for {@code run} and {@code exec}, 125 when the daemon or the CLI
 * fails (including bad flags), 126 when the command cannot be invoked, 127 when it is not found.
 */
package dev.berth.cli;
