package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import java.nio.file.Path;
import java.util.Map;

/** The spec's {@code linux.resources.unified} map: file name to value, written verbatim after all other limits. */
final class UnifiedFiles {
    private final CgroupFs fs;

    UnifiedFiles(CgroupFs fs) {
        this.fs = fs;
    }

    void set(Path dir, Map<String, String> unified) {
        if (unified == null) {
            return;
        }
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new CgroupException("write " + dir + ": unified key " + name + " is not a file name");
            }
            Path file = dir.resolve(name);
            if (!fs.exists(file)) {
                String controller = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                throw new CgroupException("write " + file + ": no such file (controller " + controller
                        + " not available or unknown file)");
            }
            fs.write(file, e.getValue());
        }
    }
}
