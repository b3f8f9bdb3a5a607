package dev.berth.shim.task;

import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import dev.berth.sys.ProcessSyscalls;
import java.nio.file.Path;

/** Builds the runtime engine a task asked for with its runc options. */
public interface EngineSource {
    /** @param processes how the engine spawns and waits for processes: through the task's monitor */
    RuntimeEngine engine(EngineChoice choice, Path bundle, ProcessSyscalls processes);
}
