package dev.berth.shim.task;

import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import java.nio.file.Path;

/** Builds the runtime engine a task asked for with its runc options. */
public interface EngineSource {
    RuntimeEngine engine(EngineChoice choice, Path bundle);
}
