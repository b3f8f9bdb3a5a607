package dev.berth.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * The verbs {@code berth} knows and what each does, for {@code berth --help}: names and words only, so that
 * printing the usage loads no verb's class.
 */
final class Verbs {
    record Verb(String name, String description) {
    }

    static final List<Verb> MANAGEMENT = List.of(
            new Verb("builder", "Manage builds"),
            new Verb("container", "Manage containers"),
            new Verb("image", "Manage images"),
            new Verb("network", "Manage networks"),
            new Verb("system", "Manage Berth"),
            new Verb("volume", "Manage volumes"));

    static final List<Verb> COMMANDS = List.of(
            new Verb("attach", "Attach local standard input, output, and error streams to a running container"),
            new Verb("build", "Build an image from a Dockerfile"),
            new Verb("commit", "Create a new image from a container's changes"),
            new Verb("cp", "Copy files/folders between a container and the local filesystem"),
            new Verb("create", "Create a new container"),
            new Verb("diff", "Inspect changes to files or directories on a container's filesystem"),
            new Verb("events", "Get real time events from the server"),
            new Verb("exec", "Run a command in a running container"),
            new Verb("images", "List images"),
            new Verb("info", "Display system-wide information"),
            new Verb("inspect", "Return low-level information on Berth objects"),
            new Verb("kill", "Kill one or more running containers"),
            new Verb("load", "Load an image from a tar archive or STDIN"),
            new Verb("logs", "Fetch the logs of a container"),
            new Verb("pause", "Pause all processes within one or more containers"),
            new Verb("port", "List port mappings or a specific mapping for the container"),
            new Verb("ps", "List containers"),
            new Verb("pull", "Pull an image from a registry"),
            new Verb("push", "Push an image to a registry"),
            new Verb("rename", "Rename a container"),
            new Verb("restart", "Restart one or more containers"),
            new Verb("rm", "Remove one or more containers"),
            new Verb("rmi", "Remove one or more images"),
            new Verb("run", "Run a command in a new container"),
            new Verb("save", "Save one or more images to a tar archive (streamed to STDOUT by default)"),
            new Verb("start", "Start one or more stopped containers"),
            new Verb("stats", "Display a live stream of container(s) resource usage statistics"),
            new Verb("stop", "Stop one or more running containers"),
            new Verb("tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"),
            new Verb("top", "Display the running processes of a container"),
            new Verb("unpause", "Unpause all processes within one or more containers"),
            new Verb("update", "Update configuration of one or more containers"),
            new Verb("version", "Show the Berth version information"),
            new Verb("wait", "Block until one or more containers stop, then print their exit codes"));

    private Verbs() {
    }

    static boolean exists(String name) {
        return description(name) != null;
    }

    static String description(String name) {
        for (List<Verb> list : List.of(MANAGEMENT, COMMANDS)) {
            for (Verb v : list) {
                if (v.name().equals(name)) {
                    return v.description();
                }
            }
        }
        return null;
    }

    /** docker's top-level usage. */
    static void printUsage(PrintStream out) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  berth [OPTIONS] COMMAND\n\nA docker-like client of berthd\n\nOptions:\n");
        sb.append("  -a, --address string     berthd's socket (env BERTH_ADDRESS; default \"/run/berth/berthd.sock\")\n");
        sb.append("  -H, --host string        the same as unix:///path\n");
        sb.append("  -n, --namespace string   Namespace (env BERTH_NAMESPACE; default \"default\")\n");
        sb.append("  -h, --help               Print usage\n");
        sb.append("  -v, --version            Print version information and quit\n");
        sb.append("\nManagement Commands:\n");
        for (Verb v : MANAGEMENT) {
            line(sb, v);
        }
        sb.append("\nCommands:\n");
        for (Verb v : COMMANDS) {
            line(sb, v);
        }
        sb.append("\nRun 'berth COMMAND --help' for more information on a command.\n");
        out.print(sb);
        out.flush();
    }

    private static void line(StringBuilder sb, Verb v) {
        sb.append("  ").append(v.name()).repeat(" ", Math.max(1, 12 - v.name().length())).append(v.description())
                .append('\n');
    }
}
