package dev.berth.shim.server;

import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.CliEngine;
import dev.berth.shim.engine.InProcessEngine;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import dev.berth.shim.task.EngineSource;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The engines of one shim: a runtime binary through {@link CliEngine} when the runc options name one
 * ({@code BinaryName}), else Berth's runtime in-process; both keep state under the options' {@code Root} or the
 * shim's default root.
 */
final class Engines implements EngineSource {
    private static final System.Logger LOG = System.getLogger(Engines.class.getName());

    private final Syscalls sys;
    private final Path initBinary;
    private final Path defaultRoot;

    /** @param sys syscalls that wait through the shim's reaper (or plain ones in a process without a reaper) */
    Engines(Syscalls sys, Path initBinary, Path defaultRoot) {
        this.sys = sys;
        this.initBinary = initBinary;
        this.defaultRoot = defaultRoot;
    }

    @Override
    public RuntimeEngine engine(EngineChoice choice, Path bundle) {
        Path root = choice.root().orElse(defaultRoot);
        if (choice.binary().isPresent()) {
            return new CliEngine(sys, choice.binary().get(), root, bundle.resolve("log.json"));
        }
        OciRuntime runtime = new OciRuntime(sys, initBinary, CgroupHost.system(), root,
                warning -> LOG.log(Level.WARNING, "runtime: {0}", warning));
        return new InProcessEngine(runtime, sys);
    }
}
