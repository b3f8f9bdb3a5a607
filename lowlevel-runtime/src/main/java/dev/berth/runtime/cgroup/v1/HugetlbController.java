package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The v1 hugetlb controller: a byte limit per huge page size ({@code hugetlb.2MB.limit_in_bytes}). */
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
            fs.write(dir.resolve("hugetlb." + h.pageSize() + ".limit_in_bytes"), Long.toString(h.limit()));
        }
    }

    /** One entry per page size the kernel offers, found from the {@code hugetlb.<size>.limit_in_bytes} files. */
    Map<String, CgroupStats.Hugetlb> stats(Path dir) {
        Map<String, CgroupStats.Hugetlb> out = new LinkedHashMap<>();
        for (String size : pageSizes(dir)) {
            String p = "hugetlb." + size + ".";
            out.put(size, new CgroupStats.Hugetlb(fs.readLongIfExists(dir.resolve(p + "usage_in_bytes")),
                    fs.readLongIfExists(dir.resolve(p + "max_usage_in_bytes")),
                    fs.readLongIfExists(dir.resolve(p + "failcnt"))));
        }
        return out;
    }

    private List<String> pageSizes(Path dir) {
        return fs.fileNames(dir).stream()
                .filter(n -> n.startsWith("hugetlb.") && n.endsWith(".limit_in_bytes") && !n.contains(".rsvd."))
                .map(n -> n.substring("hugetlb.".length(), n.length() - ".limit_in_bytes".length()))
                .sorted().toList();
    }
}
