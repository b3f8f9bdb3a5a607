package dev.berth.shim.server;

import dev.berth.log.Log;
import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.CliEngine;
import dev.berth.shim.engine.InProcessEngine;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import dev.berth.shim.task.EngineSource;
import java.nio.file.Path;
import java.util.Map;

/**
 * The engines of one shim: a runtime binary through {@link CliEngine} when the runc options name one
 * ({@code BinaryName}), else Berth's runtime in-process; both keep state under the options' {@code Root} or the
 * shim's default root.
 */
final class Engines implements EngineSource {
    private static final Log LOG = Log.of(Engines.class);

    private final Syscalls sys;
    private final Path initBinary;
    private final Map<String, String> environment;
    private final Path defaultRoot;

    /** @param sys syscalls that wait through the shim's reaper (or plain ones in a process without a reaper) */
    Engines(Syscalls sys, ShimSettings settings, Path defaultRoot) {
        this.sys = sys;
        this.initBinary = settings.initBinary();
        this.environment = settings.environment();
        this.defaultRoot = defaultRoot;
    }

    /** The engine with the shim's own process role (the {@code delete} verb, which has no monitor). */
    RuntimeEngine engine(EngineChoice choice, Path bundle) {
        return engine(choice, bundle, sys);
    }

    @Override
    public RuntimeEngine engine(EngineChoice choice, Path bundle, ProcessSyscalls processes) {
        Syscalls s = sys.withProcesses(processes);
        Path root = choice.root().orElse(defaultRoot);
        if (choice.binary().isPresent()) {
            return new CliEngine(s, choice.binary().get(), root, bundle.resolve("log.json"), environment);
        }
        OciRuntime runtime = new OciRuntime(s, initBinary, CgroupHost.system(), root,
                warning -> LOG.warn("runtime warning", "warning", warning));
        return new InProcessEngine(runtime, s);
    }
}
