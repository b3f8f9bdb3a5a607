package dev.berth.runtime.cli;

import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.LinuxResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code update [--resources FILE|-] [--memory N] [--cpu-shares N] … ID}: changes the limits of a container. */
final class UpdateCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException {
        Flags.Parsed p = new Flags().value("resources", "r").value("memory").value("memory-reservation")
                .value("memory-swap").value("kernel-memory").value("kernel-memory-tcp").value("cpu-shares")
                .value("cpu-quota").value("cpu-period").value("cpu-rt-period").value("cpu-rt-runtime")
                .value("cpuset-cpus").value("cpuset-mems").value("pids-limit").value("blkio-weight")
                .value("l3-cache-schema").value("mem-bw-schema").parse(argv, false);
        Command.requireArgs(p, "update", 1, 1);
        if (p.has("l3-cache-schema") || p.has("mem-bw-schema")) {
            throw new Flags.UsageException("update: Intel RDT is not supported on this system");
        }
        LinuxResources r;
        if (p.has("resources")) {
            String file = p.get("resources", "-");
            String text = file.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
            r = LinuxResources.fromJson(JsonObject.parse(text));
        } else {
            r = fromFlags(p);
        }
        ctx.runtime().load("update", p.args().getFirst()).update(r);
        return 0;
    }

    private static LinuxResources fromFlags(Flags.Parsed p) {
        LinuxResources.Memory memory = null;
        if (p.has("memory") || p.has("memory-reservation") || p.has("memory-swap") || p.has("kernel-memory")
                || p.has("kernel-memory-tcp")) {
            memory = new LinuxResources.Memory(bytes(p, "memory"), bytes(p, "memory-reservation"),
                    bytes(p, "memory-swap"), bytes(p, "kernel-memory"), bytes(p, "kernel-memory-tcp"), null, null,
                    null, null);
        }
        LinuxResources.Cpu cpu = null;
        if (p.has("cpu-shares") || p.has("cpu-quota") || p.has("cpu-period") || p.has("cpu-rt-period")
                || p.has("cpu-rt-runtime") || p.has("cpuset-cpus") || p.has("cpuset-mems")) {
            cpu = new LinuxResources.Cpu(number(p, "cpu-shares"), number(p, "cpu-quota"), null,
                    number(p, "cpu-period"), number(p, "cpu-rt-runtime"), number(p, "cpu-rt-period"),
                    p.get("cpuset-cpus", null), p.get("cpuset-mems", null), null);
        }
        LinuxResources.Pids pids = p.has("pids-limit") ? new LinuxResources.Pids(number(p, "pids-limit")) : null;
        LinuxResources.BlockIO blkio = p.has("blkio-weight") ? new LinuxResources.BlockIO(number(p, "blkio-weight"),
                null, List.of(), List.of(), List.of(), List.of(), List.of()) : null;
        return new LinuxResources(List.of(), memory, cpu, pids, blkio, List.of(), Map.of());
    }

    private static Long number(Flags.Parsed p, String name) {
        String v = p.get(name, null);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Flags.UsageException("invalid value for --" + name + ": " + v);
        }
    }

    /** A size such as {@code 64m} or {@code 1g}; -1 is unlimited. */
    private static Long bytes(Flags.Parsed p, String name) {
        String v = p.get(name, null);
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = 1;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            return n < 0 ? n : n * unit;
        } catch (NumberFormatException e) {
            throw new Flags.UsageException("invalid value for --" + name + ": " + v);
        }
    }
}
