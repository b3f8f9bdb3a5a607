package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The interface counters of a network namespace as {@code /proc/<pid>/net/dev} lists them (a process's view of
 * its own namespace), without the loopback, which docker's stats leave out too.
 */
final class NetDev {
    private NetDev() {
    }

    /** One interface's counters, docker's {@code NetworkStats}. */
    record Interface(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
                     long txErrors, long txDropped) {
    }

    /**
     * Parses the file: two header lines, then {@code name: rx bytes packets errs drop fifo frame compressed
     * multicast tx bytes packets errs drop fifo colls carrier compressed}.
     */
    static Map<String, Interface> parse(String netDev) {
        Map<String, Interface> out = new LinkedHashMap<>();
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                throw BerthException.internal("read net/dev: interface " + name + " has " + f.length
                        + " fields, want 16");
            }
            if (name.equals("lo")) {
                continue;
            }
            out.put(name, new Interface(Long.parseUnsignedLong(f[0]), Long.parseUnsignedLong(f[1]),
                    Long.parseUnsignedLong(f[2]), Long.parseUnsignedLong(f[3]), Long.parseUnsignedLong(f[8]),
                    Long.parseUnsignedLong(f[9]), Long.parseUnsignedLong(f[10]), Long.parseUnsignedLong(f[11])));
        }
        return out;
    }
}
