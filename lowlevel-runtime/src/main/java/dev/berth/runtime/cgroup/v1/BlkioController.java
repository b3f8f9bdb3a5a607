package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 blkio controller: weights (CFQ's {@code blkio.weight*} or, on kernels with only BFQ, {@code blkio.bfq.*})
 * and the four throttles.
 */
final class BlkioController implements Controller {
    private final CgroupFs fs;

    BlkioController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "blkio";
    }

    @Override
    public boolean requested(LinuxResources r) {
        LinuxResources.BlockIO b = r.blockIO();
        return b != null && (nz(b.weight()) || nz(b.leafWeight()) || !empty(b.weightDevice())
                || !empty(b.throttleReadBpsDevice()) || !empty(b.throttleWriteBpsDevice())
                || !empty(b.throttleReadIOPSDevice()) || !empty(b.throttleWriteIOPSDevice()));
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.BlockIO b = r.blockIO();
        if (b == null) {
            return;
        }
        boolean bfq = !fs.exists(dir.resolve("blkio.weight")) && fs.exists(dir.resolve("blkio.bfq.weight"));
        String weight = bfq ? "blkio.bfq.weight" : "blkio.weight";
        if (nz(b.weight())) {
            fs.write(dir.resolve(weight), Long.toString(b.weight()));
        }
        if (nz(b.leafWeight())) {
            fs.write(dir.resolve("blkio.leaf_weight"), Long.toString(b.leafWeight()));
        }
        for (LinuxResources.WeightDevice wd : list(b.weightDevice())) {
            if (wd.weight() != null) {
                fs.write(dir.resolve(weight + "_device"), wd.major() + ":" + wd.minor() + " " + wd.weight());
            }
            if (wd.leafWeight() != null) {
                fs.write(dir.resolve("blkio.leaf_weight_device"), wd.major() + ":" + wd.minor() + " " + wd.leafWeight());
            }
        }
        throttle(dir, "blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
        throttle(dir, "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
        throttle(dir, "blkio.throttle.read_iops_device", b.throttleReadIOPSDevice());
        throttle(dir, "blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice());
    }

    private void throttle(Path dir, String file, List<LinuxResources.ThrottleDevice> devices) {
        for (LinuxResources.ThrottleDevice d : list(devices)) {
            fs.write(dir.resolve(file), d.major() + ":" + d.minor() + " " + d.rate());
        }
    }

    /** CFQ's counters if the kernel has them, else BFQ's, else the throttle layer's (which always exist). */
    CgroupStats.Blkio stats(Path dir) {
        return new CgroupStats.Blkio(entries(dir, "io_service_bytes_recursive"), entries(dir, "io_serviced_recursive"));
    }

    private List<CgroupStats.BlkioEntry> entries(Path dir, String name) {
        for (String prefix : new String[] {"blkio.", "blkio.bfq.", "blkio.throttle."}) {
            Path file = dir.resolve(prefix + name);
            if (fs.exists(file)) {
                List<CgroupStats.BlkioEntry> out = parse(fs.read(file));
                if (!out.isEmpty() || prefix.equals("blkio.throttle.")) {
                    return out;
                }
            }
        }
        return List.of();
    }

    /** Lines {@code 8:0 Read 4096}; the closing {@code Total n} line has no device and is skipped. */
    static List<CgroupStats.BlkioEntry> parse(String text) {
        List<CgroupStats.BlkioEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] dev = f[0].split(":");
                out.add(new CgroupStats.BlkioEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]), f[1],
                        Long.parseUnsignedLong(f[2])));
            }
        }
        return out;
    }

    private static boolean nz(Long v) {
        return v != null && v != 0;
    }

    private static boolean empty(List<?> l) {
        return l == null || l.isEmpty();
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
