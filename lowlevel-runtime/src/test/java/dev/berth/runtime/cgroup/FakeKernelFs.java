package dev.berth.runtime.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A cgroup v2 filesystem faked in a temp directory: mkdir populates the control files a kernel would show, rmdir
 * removes them and refuses while {@code cgroup.procs} is not empty, {@code cgroup.subtree_control} takes
 * {@code +name} edits, and {@code cgroup.freeze} flips {@code frozen} in {@code cgroup.events} (unless turned off).
 */
final class FakeKernelFs implements CgroupFs {
    private final CgroupFs host = CgroupFs.host();
    volatile boolean autoFreeze = true;

    /** The files of a new v2 cgroup whose parent enables {@code controllers}. */
    static Map<String, String> v2Files(String controllers) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cgroup.controllers", controllers);
        f.put("cgroup.subtree_control", "");
        f.put("cgroup.procs", "");
        f.put("cgroup.freeze", "0");
        f.put("cgroup.events", "populated 0\nfrozen 0");
        List<String> c = Arrays.asList(controllers.split(" "));
        if (c.contains("memory")) {
            f.put("memory.max", "max");
            f.put("memory.low", "0");
            f.put("memory.high", "max");
            f.put("memory.swap.max", "max");
            f.put("memory.current", "4096");
            f.put("memory.peak", "8192");
            f.put("memory.swap.current", "0");
            f.put("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1");
            f.put("memory.stat", "anon 1024\nfile 2048\nkernel 512");
        }
        if (c.contains("cpu")) {
            f.put("cpu.weight", "100");
            f.put("cpu.max", "max 100000");
            f.put("cpu.max.burst", "0");
            f.put("cpu.idle", "0");
            f.put("cpu.stat", "usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\nnr_periods 7\nnr_throttled 2\n"
                    + "throttled_usec 40");
        }
        if (c.contains("cpuset")) {
            f.put("cpuset.cpus", "");
            f.put("cpuset.mems", "");
        }
        if (c.contains("pids")) {
            f.put("pids.max", "max");
            f.put("pids.current", "1");
        }
        if (c.contains("io")) {
            f.put("io.weight", "default 100");
            f.put("io.max", "");
            f.put("io.stat", "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0");
        }
        if (c.contains("hugetlb")) {
            f.put("hugetlb.2MB.max", "max");
            f.put("hugetlb.2MB.current", "0");
            f.put("hugetlb.2MB.events", "max 0");
        }
        return f;
    }

    /** Creates a directory with the files of a cgroup whose parent enables {@code controllers}. */
    static void populate(Path dir, String controllers) throws java.io.IOException {
        Files.createDirectories(dir);
        for (var e : v2Files(controllers).entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
    }

    @Override
    public String read(Path file) {
        return host.read(file);
    }

    @Override
    public void write(Path file, String value) {
        String name = file.getFileName().toString();
        if (!exists(file)) {
            host.write(file, value); // fails like the kernel: no such file
        }
        switch (name) {
            case "cgroup.subtree_control" -> {
                TreeSet<String> enabled = new TreeSet<>(Arrays.asList(host.read(file).split(" ")));
                enabled.remove("");
                for (String op : value.split(" ")) {
                    if (op.startsWith("+")) {
                        enabled.add(op.substring(1));
                    } else if (op.startsWith("-")) {
                        enabled.remove(op.substring(1));
                    }
                }
                host.write(file, String.join(" ", enabled));
            }
            case "cgroup.freeze" -> {
                host.write(file, value);
                if (autoFreeze) {
                    host.write(file.resolveSibling("cgroup.events"), "populated 1\nfrozen " + value);
                }
            }
            default -> host.write(file, value);
        }
    }

    @Override
    public boolean exists(Path path) {
        return host.exists(path);
    }

    @Override
    public void mkdir(Path dir) {
        if (exists(dir)) {
            return;
        }
        host.mkdir(dir);
        try {
            populate(dir, host.read(dir.getParent().resolve("cgroup.subtree_control")));
        } catch (java.io.IOException e) {
            throw new CgroupException("mkdir " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void rmdir(Path dir) {
        if (!exists(dir)) {
            return;
        }
        if (!host.read(dir.resolve("cgroup.procs")).isBlank()) {
            throw new CgroupException("rmdir " + dir + ": device or resource busy");
        }
        try {
            for (String f : host.fileNames(dir)) {
                Files.delete(dir.resolve(f));
            }
        } catch (java.io.IOException e) {
            throw new CgroupException("rmdir " + dir + ": " + e.getMessage(), e);
        }
        host.rmdir(dir);
    }

    @Override
    public List<Path> subdirectories(Path dir) {
        return host.subdirectories(dir);
    }

    @Override
    public List<String> fileNames(Path dir) {
        return new ArrayList<>(host.fileNames(dir));
    }
}
