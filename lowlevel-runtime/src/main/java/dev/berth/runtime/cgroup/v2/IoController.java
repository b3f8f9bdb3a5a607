package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The v2 io controller: weights ({@code io.bfq.weight} as given when BFQ is in use, else {@code io.weight} converted
 * from the v1 range [10, 1000] to [1, 10000]) and {@code io.max} throttles. Leaf weights have no v2 equivalent and
 * are ignored, as in runc.
 */
final class IoController implements Controller {
    private final CgroupFs fs;

    IoController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "io";
    }

    @Override
    public boolean requested(LinuxResources r) {
        LinuxResources.BlockIO b = r.blockIO();
        return b != null && (nz(b.weight()) || !list(b.weightDevice()).isEmpty()
                || !list(b.throttleReadBpsDevice()).isEmpty() || !list(b.throttleWriteBpsDevice()).isEmpty()
                || !list(b.throttleReadIOPSDevice()).isEmpty() || !list(b.throttleWriteIOPSDevice()).isEmpty());
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.BlockIO b = r.blockIO();
        if (b == null) {
            return;
        }
        boolean bfq = fs.exists(dir.resolve("io.bfq.weight"));
        if (nz(b.weight())) {
            if (bfq) {
                fs.write(dir.resolve("io.bfq.weight"), Long.toString(b.weight()));
            } else {
                fs.write(dir.resolve("io.weight"), Long.toString(weight(b.weight())));
            }
        }
        for (LinuxResources.WeightDevice wd : list(b.weightDevice())) {
            if (wd.weight() != null) {
                String dev = wd.major() + ":" + wd.minor() + " ";
                if (bfq) {
                    fs.write(dir.resolve("io.bfq.weight"), dev + wd.weight());
                } else {
                    fs.write(dir.resolve("io.weight"), dev + weight(wd.weight()));
                }
            }
        }
        max(dir, "rbps", b.throttleReadBpsDevice());
        max(dir, "wbps", b.throttleWriteBpsDevice());
        max(dir, "riops", b.throttleReadIOPSDevice());
        max(dir, "wiops", b.throttleWriteIOPSDevice());
    }

    private void max(Path dir, String key, List<LinuxResources.ThrottleDevice> devices) {
        for (LinuxResources.ThrottleDevice d : list(devices)) {
            fs.write(dir.resolve("io.max"), d.major() + ":" + d.minor() + " " + key + "=" + d.rate());
        }
    }

    /** runc's ConvertBlkIOToIOWeightValue. */
    static long weight(long blkioWeight) {
        return blkioWeight == 0 ? 0 : 1 + (blkioWeight - 10) * 9999 / 990;
    }

    /** {@code io.stat} lines: {@code 8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0}. */
    CgroupStats.Blkio stats(Path dir) {
        List<CgroupStats.BlkioEntry> bytes = new ArrayList<>();
        List<CgroupStats.BlkioEntry> ios = new ArrayList<>();
        Path file = dir.resolve("io.stat");
        if (!fs.exists(file)) {
            return CgroupStats.Blkio.EMPTY;
        }
        for (String line : fs.read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] dev = f[0].split(":");
            long major = Long.parseLong(dev[0]);
            long minor = Long.parseLong(dev[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                long v = Long.parseUnsignedLong(kv[1]);
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Read", v));
                    case "wbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Write", v));
                    case "dbytes" -> bytes.add(new CgroupStats.BlkioEntry(major, minor, "Discard", v));
                    case "rios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Read", v));
                    case "wios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Write", v));
                    case "dios" -> ios.add(new CgroupStats.BlkioEntry(major, minor, "Discard", v));
                    default -> { }
                }
            }
        }
        return new CgroupStats.Blkio(bytes, ios);
    }

    private static boolean nz(Long v) {
        return v != null && v != 0;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
