package dev.berth.manager.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Dockerfile instruction, its values as written. Every instruction knows its line (1-based, where it starts)
 * and its source: the instruction as written with continuation lines joined and the escape removed, which docker
 * prints in {@code Step N/M : …}.
 */
public sealed interface Instruction {
    int line();

    String source();

    /** The instruction's keyword as docker spells it in messages ({@code RUN}, {@code COPY}, …). */
    default String keyword() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The instruction with docker's build-time variable substitution applied to the fields docker substitutes in
     * ({@code FROM}, {@code ADD}, {@code COPY}, {@code ENV}, {@code EXPOSE}, {@code LABEL}, {@code STOPSIGNAL},
     * {@code USER}, {@code VOLUME}, {@code WORKDIR} and an {@code ARG}'s default); the others are returned as they
     * are ({@code RUN}, {@code CMD} and {@code ENTRYPOINT} are the shell's to expand).
     */
    default Instruction expand(Expander expander) {
        return this;
    }

    record From(String image, Optional<String> name, Optional<String> platform, int line, String source)
            implements Instruction {
        @Override
        public From expand(Expander e) {
            return new From(e.expand(image), name, platform.map(e::expand), line, source);
        }
    }

    record Run(Command command, int line, String source) implements Instruction {}

    record Cmd(Command command, int line, String source) implements Instruction {}

    record Entrypoint(Command command, int line, String source) implements Instruction {}

    /** {@code COPY} ({@code add} false) or {@code ADD} ({@code add} true, which also unpacks tars and fetches URLs). */
    record Copy(boolean add, List<String> sources, String destination, Optional<String> from,
                Optional<String> chown, Optional<String> chmod, int line, String source) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public String keyword() {
            return add ? "ADD" : "COPY";
        }

        @Override
        public Copy expand(Expander e) {
            return new Copy(add, sources.stream().map(e::expand).toList(), e.expand(destination),
                    from.map(e::expand), chown.map(e::expand), chmod.map(e::expand), line, source);
        }
    }

    record Env(List<KeyValue> pairs, int line, String source) implements Instruction {
        public Env {
            pairs = List.copyOf(pairs);
        }

        @Override
        public Env expand(Expander e) {
            return new Env(expandPairs(pairs, e), line, source);
        }
    }

    record Label(List<KeyValue> pairs, int line, String source) implements Instruction {
        public Label {
            pairs = List.copyOf(pairs);
        }

        @Override
        public Label expand(Expander e) {
            return new Label(expandPairs(pairs, e), line, source);
        }
    }

    record Arg(String name, Optional<String> defaultValue, int line, String source) implements Instruction {
        @Override
        public Arg expand(Expander e) {
            return new Arg(name, defaultValue.map(e::expand), line, source);
        }
    }

    record Workdir(String path, int line, String source) implements Instruction {
        @Override
        public Workdir expand(Expander e) {
            return new Workdir(e.expand(path), line, source);
        }
    }

    record User(String user, int line, String source) implements Instruction {
        @Override
        public User expand(Expander e) {
            return new User(e.expand(user), line, source);
        }
    }

    record StopSignal(String signal, int line, String source) implements Instruction {
        @Override
        public StopSignal expand(Expander e) {
            return new StopSignal(e.expand(signal), line, source);
        }
    }

    record Maintainer(String name, int line, String source) implements Instruction {}

    record Expose(List<String> ports, int line, String source) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }

        @Override
        public Expose expand(Expander e) {
            return new Expose(ports.stream().map(e::expand).toList(), line, source);
        }
    }

    record Volume(List<String> paths, int line, String source) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }

        @Override
        public Volume expand(Expander e) {
            return new Volume(paths.stream().map(e::expand).toList(), line, source);
        }
    }

    record Shell(List<String> shell, int line, String source) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /**
     * {@code HEALTHCHECK}: {@code test} is docker's form — {@code ["NONE"]}, {@code ["CMD", …]} for the exec form
     * or {@code ["CMD-SHELL", "…"]} for the shell form — and the options given (absent ones inherit).
     */
    record Healthcheck(List<String> test, Optional<Duration> interval, Optional<Duration> timeout,
                       Optional<Duration> startPeriod, OptionalInt retries, int line, String source)
            implements Instruction {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }

    /** {@code ONBUILD}: the trigger's text, run as an instruction of a build that uses this image as its base. */
    record Onbuild(String trigger, int line, String source) implements Instruction {}

    private static List<KeyValue> expandPairs(List<KeyValue> pairs, Expander e) {
        return pairs.stream().map(p -> new KeyValue(e.expand(p.key()), e.expand(p.value()))).toList();
    }
}
