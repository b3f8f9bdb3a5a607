package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * berthd's flags, named as containerd's: {@code --config/-c}, {@code --address/-a}, {@code --root}, {@code --state},
 * {@code --log-level/-l}, plus {@code --snapshotter}, {@code --docker-address}, {@code --version/-v} and {@code --help/-h}. Both
 * {@code --flag value} and {@code --flag=value} are accepted.
 */
record CommandLine(BerthdConfig config, boolean version, boolean help) {

    static final String USAGE = """
            usage: berthd [flags]
              -c, --config FILE       TOML configuration file
              -a, --address PATH      gRPC socket (default /run/berth/berthd.sock; ttrpc at PATH.ttrpc)
                  --root DIR          persistent root (default /var/lib/berth)
                  --state DIR         state root (default /run/berth)
              -l, --log-level LEVEL   debug, info, warn or error (default info)
                  --snapshotter NAME  overlayfs (default) or native
                  --docker-address PATH  Docker Engine API socket (default /run/berth/docker.sock; "" for none)
              -v, --version           print the version and exit
            """;

    static CommandLine parse(List<String> args, BerthdConfig defaults) throws IOException {
        Deque<String> in = new ArrayDeque<>(args);
        Path file = null;
        Path address = null;
        Path root = null;
        Path state = null;
        String level = null;
        String snapshotter = null;
        String docker = null;
        boolean version = false;
        boolean help = false;
        while (!in.isEmpty()) {
            String arg = in.pop();
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-c", "--config" -> file = Path.of(value(arg, value, in));
                case "-a", "--address" -> address = Path.of(value(arg, value, in));
                case "--root" -> root = Path.of(value(arg, value, in));
                case "--state" -> state = Path.of(value(arg, value, in));
                case "-l", "--log-level" -> level = value(arg, value, in);
                case "--snapshotter" -> snapshotter = value(arg, value, in);
                case "--docker-address" -> docker = value(arg, value, in);
                case "-v", "--version" -> version = true;
                case "-h", "--help" -> help = true;
                default -> throw BerthException.invalidArgument("berthd: unknown flag " + arg);
            }
        }
        BerthdConfig config = file == null ? defaults : defaults.withFile(file);
        if (root != null) {
            config = config.withRoot(root);
        }
        if (state != null) {
            config = config.withState(state);
        }
        if (address != null) {
            config = config.withAddress(address);
        }
        if (level != null) {
            config = config.withLogLevel(level);
        }
        if (snapshotter != null) {
            config = config.withSnapshotter(snapshotter);
        }
        if (docker != null) {
            config = config.withDockerAddress(BerthdConfig.docker(docker));
        }
        return new CommandLine(config, version, help);
    }

    private static String value(String flag, String inline, Deque<String> in) {
        if (inline != null) {
            return inline;
        }
        if (in.isEmpty()) {
            throw BerthException.invalidArgument("berthd: flag " + flag + " needs a value");
        }
        return in.pop();
    }
}
