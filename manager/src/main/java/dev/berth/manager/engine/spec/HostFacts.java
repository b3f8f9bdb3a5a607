package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the spec takes from the host berthd runs on.
 *
 * @param capabilities every capability the host can give a container, in number order: those the kernel knows
 *     ({@code cap_last_cap}) and berthd's own bounding set holds (moby's {@code GetAllCapabilities}: a privileged
 *     container gets these)
 * @param resolvConf the host's resolver configuration, the base of a container's {@code /etc/resolv.conf}
 * @param devDir the host's {@code /dev}, whose devices a privileged container gets
 * @param oomScoreAdj berthd's own {@code oom_score_adj}: a container asking for less gets this (containerd's
 *     {@code RestrictOOMScoreAdj}; lowering it needs CAP_SYS_RESOURCE, which a VM's root may lack)
 */
record HostFacts(List<String> capabilities, Path resolvConf, Path devDir, int oomScoreAdj) {
    HostFacts {
        capabilities = List.copyOf(capabilities);
    }

    static HostFacts system() {
        return new HostFacts(boundingCapabilities(Path.of("/proc/self/status"),
                Path.of("/proc/sys/kernel/cap_last_cap")), Path.of("/etc/resolv.conf"), Path.of("/dev"),
                oomScoreAdj(Path.of("/proc/self/oom_score_adj")));
    }

    private static int oomScoreAdj(Path file) {
        try {
            return Integer.parseInt(Files.readAllLines(file).getFirst().trim());
        } catch (IOException | NumberFormatException e) {
            throw BerthException.internal("read " + file + ": " + e.getMessage());
        }
    }

    private static List<String> boundingCapabilities(Path status, Path lastCapFile) {
        try {
            // Files.readString would trust the size procfs reports and may read a single byte ("4" of "40").
            int lastCap = Integer.parseInt(Files.readAllLines(lastCapFile).getFirst().trim());
            long bounding = Files.readAllLines(status).stream().filter(l -> l.startsWith("CapBnd:"))
                    .map(l -> Long.parseUnsignedLong(l.substring("CapBnd:".length()).trim(), 16))
                    .findFirst().orElse(-1L);
            List<String> out = new ArrayList<>();
            for (int n = 0; n <= Math.min(lastCap, Capabilities.ALL.size() - 1); n++) {
                if ((bounding & (1L << n)) != 0) {
                    out.add(Capabilities.ALL.get(n));
                }
            }
            return out;
        } catch (IOException | NumberFormatException e) {
            throw BerthException.internal("read the host's capabilities: " + e.getMessage());
        }
    }
}
