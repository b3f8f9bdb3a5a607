/**
 * Containers and their lifecycle: {@link dev.berth.runtime.container.OciRuntime} (create, load, list under one
 * state root) and {@link dev.berth.runtime.container.Container} (start, kill, pause, resume, exec, delete).
 *
 * <p>Where the runtime spec and runc disagree (delete of a created container without force, create without a
 * process, the cwd check under seccomp), this package follows the choices written down in
 * {@code docs/runtime-conformance.md}, "Deviations from the runtime spec".
 *
 * <p>On-disk layout under the state root ({@code --root}), runc's:
 * <pre>
 *   &lt;root&gt;/                     0700 when the runtime creates it (an existing one keeps its mode)
 *   &lt;root&gt;/&lt;id&gt;/                0711: a container root mapped to another uid still reaches exec.fifo
 *   &lt;root&gt;/&lt;id&gt;/exec.fifo       0622, from create until start; the init blocks opening it for writing
 *   &lt;root&gt;/&lt;id&gt;/state.json      0600 (it holds the config's environment), written atomically (temp file,
 *       rename) once create succeeded:
 *       id, init_process_pid, init_process_start (clock ticks, to detect pid reuse), bundle, rootfs, created,
 *       annotations, cgroup_paths (controller → host directory), namespaces (type → path, "" = own),
 *       config (config.json as it was at create: its hooks run at delete)
 * </pre>
 */
package dev.berth.runtime.container;
