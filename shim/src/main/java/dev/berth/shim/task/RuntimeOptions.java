package dev.berth.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.runtime.runc.options.Options;
import dev.berth.shim.process.EngineChoice;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the runtime options of a CreateTaskRequest: containerd's runc {@code Options}, or none. */
final class RuntimeOptions {
    /** The type URLs containerd registers runc's options under (typeurl names, with and without a prefix). */
    private static final String RUNC_OPTIONS = "containerd.runc.v1.Options";

    private RuntimeOptions() {}

    static EngineChoice engineChoice(String id, Any options) {
        if (options == null || options.getTypeUrl().isEmpty()) {
            return EngineChoice.inProcess();
        }
        if (!options.getTypeUrl().endsWith(RUNC_OPTIONS)) {
            throw BerthException.invalidArgument("create " + id + ": unsupported runtime options "
                    + options.getTypeUrl());
        }
        try {
            Options o = Options.parseFrom(options.getValue());
            return new EngineChoice(optionalPath(o.getBinaryName()), optionalPath(o.getRoot()));
        } catch (InvalidProtocolBufferException e) {
            throw BerthException.invalidArgument("create " + id + ": decode runtime options: " + e.getMessage());
        }
    }

    private static Optional<Path> optionalPath(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }
}
