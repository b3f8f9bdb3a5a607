package dev.berth.shim.engine;

import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.sys.Syscalls;
import java.nio.file.Path;

/** The contract over Berth's runtime as a library. */
class InProcessEngineTest extends RuntimeEngineContract {
    @Override
    protected RuntimeEngine engine(Syscalls sys, Path root, Path log) {
        Path init = repo().resolve("lowlevel-runtime/target/berth-init");
        return new InProcessEngine(new OciRuntime(sys, init, CgroupHost.system(), root, warning -> { }), sys);
    }
}
