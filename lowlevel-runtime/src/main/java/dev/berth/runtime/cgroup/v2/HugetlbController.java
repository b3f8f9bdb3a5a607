package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The v2 hugetlb controller: {@code hugetlb.<size>.max} per huge page size. */
final class HugetlbController implements Controller {
    private final CgroupFs fs;

    HugetlbController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "hugetlb";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.hugepageLimits() != null && !r.hugepageLimits().isEmpty();
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        for (LinuxResources.HugepageLimit h : r.hugepageLimits() == null ? List.<LinuxResources.HugepageLimit>of()
                : r.hugepageLimits()) {
            fs.write(dir.resolve("hugetlb." + h.pageSize() + ".max"), Long.toString(h.limit()));
        }
    }

    /** v2 has no peak usage; failcnt is the {@code max} count of {@code hugetlb.<size>.events}. */
    Map<String, CgroupStats.Hugetlb> stats(Path dir) {
        Map<String, CgroupStats.Hugetlb> out = new LinkedHashMap<>();
        for (String name : fs.fileNames(dir)) {
            if (name.startsWith("hugetlb.") && name.endsWith(".max") && !name.contains(".rsvd.")) {
                String size = name.substring("hugetlb.".length(), name.length() - ".max".length());
                String p = "hugetlb." + size + ".";
                out.put(size, new CgroupStats.Hugetlb(fs.readLongIfExists(dir.resolve(p + "current")), 0,
                        fs.readKeyedIfExists(dir.resolve(p + "events")).getOrDefault("max", 0L)));
            }
        }
        return out;
    }
}
