package dev.berth.manager.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.build.dockerfile.Command;
import dev.berth.manager.build.dockerfile.DockerfileParser;
import dev.berth.manager.build.dockerfile.Expander;
import dev.berth.manager.build.dockerfile.Instruction;
import dev.berth.manager.build.dockerfile.KeyValue;
import dev.berth.manager.build.dockerfile.Stage;
import dev.berth.manager.content.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One stage of a build, step by step as the classic builder runs it: FROM (a stage, {@code scratch} or an image,
 * its ONBUILD triggers), then each instruction expanded with the stage's environment and args, looked up in the
 * cache (the first miss ends lookups for the rest of the stage) and, on a miss, executed: RUN in a container,
 * COPY/ADD as a layer written from a plan, everything else as a config change with an {@code empty_layer} history
 * entry.
 */
final class StageBuild {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final BuildRun run;
    private final char escape;
    private final Map<String, String> globalArgs;
    /** The args this stage declared, in order, with their values (null: declared without one). */
    private final Map<String, String> args = new LinkedHashMap<>();
    private ImageState image;
    private boolean cmdSet;
    private boolean cacheValid;

    StageBuild(BuildRun run, char escape, Map<String, String> globalArgs) {
        this.run = run;
        this.escape = escape;
        this.globalArgs = globalArgs;
        this.cacheValid = !run.request.noCache();
    }

    /** Builds {@code stage}, with {@code extra} (the build's --label step) after its own instructions. */
    ImageState build(Stage stage, List<Instruction> extra) throws IOException {
        Instruction.From from = stage.from();
        run.step(from.source());
        String base = new Expander(escape, n -> Optional.ofNullable(globalArgs.get(n))).expand(from.image());
        image = base.equalsIgnoreCase("scratch") ? ImageState.scratch()
                : run.stage(base).orElse(null) != null ? run.stage(base).get() : run.image(base);
        image = new ImageState(image.name(), image.id(), image.config().deepCopy(), image.layers(), image.docker());
        run.print(" ---> " + (image.id().isEmpty() ? "" : shortId(image.id())) + "\n");
        triggers();
        for (Instruction i : stage.instructions()) {
            dispatch(i, i.source(), true);
        }
        for (Instruction i : extra) {
            dispatch(i, i.source(), true);
        }
        return image;
    }

    /** The base image's ONBUILD triggers, run before the stage's own instructions and not inherited. */
    private void triggers() throws IOException {
        if (!(image.process().get("OnBuild") instanceof ArrayNode triggers) || triggers.isEmpty()) {
            return;
        }
        List<String> texts = new ArrayList<>();
        triggers.forEach(t -> texts.add(t.asText()));
        image.process().remove("OnBuild");
        run.print("# Executing " + texts.size() + " build trigger" + (texts.size() == 1 ? "" : "s") + "\n");
        for (String t : texts) {
            List<Instruction> parsed = DockerfileParser.parse("FROM scratch\n" + t + "\n").stages().getFirst()
                    .instructions();
            for (Instruction i : parsed) {
                if (i instanceof Instruction.Onbuild || i instanceof Instruction.From) {
                    throw BerthException.invalidArgument("ONBUILD trigger " + t + ": " + (i instanceof
                            Instruction.Onbuild ? "chaining ONBUILD via ONBUILD ONBUILD isn't allowed"
                            : "FROM isn't allowed as an ONBUILD trigger"));
                }
                dispatch(i, t, false);
            }
        }
    }

    private void dispatch(Instruction raw, String source, boolean counted) throws IOException {
        if (counted) {
            run.step(source);
        }
        Instruction i = raw.expand(new Expander(escape, this::lookup));
        switch (i) {
            case Instruction.Run r -> runStep(r.command());
            case Instruction.Copy c -> new CopyStep(run, this).copy(c);
            case Instruction.Env e -> {
                StringBuilder what = new StringBuilder("ENV");
                metadata(what, (p, doc) -> {
                    for (KeyValue kv : e.pairs()) {
                        setEnv(p, kv.key(), kv.value());
                        what.append(' ').append(kv.key()).append('=').append(kv.value());
                    }
                });
            }
            case Instruction.Label l -> {
                StringBuilder what = new StringBuilder("LABEL");
                metadata(what, (p, doc) -> {
                    ObjectNode labels = object(p, "Labels");
                    for (KeyValue kv : l.pairs()) {
                        labels.put(kv.key(), kv.value());
                        what.append(' ').append(kv.key()).append('=').append(kv.value());
                    }
                });
            }
            case Instruction.Arg a -> arg(a);
            case Instruction.Workdir w -> workdir(w.path());
            case Instruction.User u -> metadata("USER " + u.user(), (p, doc) -> p.put("User", u.user()));
            case Instruction.StopSignal s -> metadata("STOPSIGNAL " + s.signal(), (p, doc) -> p.put("StopSignal",
                    s.signal()));
            case Instruction.Maintainer m -> metadata("MAINTAINER " + m.name(), (p, doc) -> doc.put("author", m.name()));
            case Instruction.Expose e -> metadata("EXPOSE " + String.join(" ", e.ports()), (p, doc) -> {
                ObjectNode ports = object(p, "ExposedPorts");
                for (String port : e.ports()) {
                    String spec = port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
                    if (!spec.matches("[0-9]{1,5}(-[0-9]{1,5})?/(tcp|udp|sctp)")) {
                        throw BerthException.invalidArgument("EXPOSE on line " + e.line() + ": invalid port "
                                + port);
                    }
                    ports.putObject(spec);
                }
            });
            case Instruction.Volume v -> metadata("VOLUME " + CreatedBy.plain(v.paths()), (p, doc) -> {
                ObjectNode volumes = object(p, "Volumes");
                v.paths().forEach(volumes::putObject);
            });
            case Instruction.Shell s -> metadata("SHELL " + CreatedBy.plain(s.shell()), (p, doc) -> array(p, "Shell",
                    s.shell()));
            case Instruction.Cmd c -> {
                List<String> argv = argv(c.command());
                cmdSet = true;
                metadata("CMD " + CreatedBy.quoted(argv), (p, doc) -> array(p, "Cmd", argv));
            }
            case Instruction.Entrypoint e -> {
                List<String> argv = argv(e.command());
                metadata("ENTRYPOINT " + CreatedBy.quoted(argv), (p, doc) -> {
                    array(p, "Entrypoint", argv);
                    if (!cmdSet) {
                        p.putNull("Cmd");
                    }
                });
            }
            case Instruction.Healthcheck h -> healthcheck(h);
            case Instruction.Onbuild o -> metadata("ONBUILD " + o.trigger(), (p, doc) -> {
                ArrayNode triggers = p.get("OnBuild") instanceof ArrayNode a ? a : p.putArray("OnBuild");
                triggers.add(o.trigger());
            });
            case Instruction.From f -> throw BerthException.invalidArgument("FROM on line " + f.line()
                    + ": not at the start of a stage");
        }
    }

    /** A name's value for expansion: the config's Env first (ENV wins over ARG), then the stage's args. */
    private Optional<String> lookup(String name) {
        for (String e : image.env()) {
            int eq = e.indexOf('=');
            if (eq > 0 && e.substring(0, eq).equals(name)) {
                return Optional.of(e.substring(eq + 1));
            }
        }
        return Optional.ofNullable(args.get(name));
    }

    private void arg(Instruction.Arg a) throws IOException {
        String value = run.request.buildArgs().containsKey(a.name()) ? run.request.buildArgs().get(a.name())
                : a.defaultValue().orElse(globalArgs.get(a.name()));
        if (run.request.buildArgs().containsKey(a.name())) {
            run.usedArgs.add(a.name());
        }
        args.put(a.name(), value);
        metadata("ARG " + a.name() + a.defaultValue().map(d -> "=" + d).orElse(""), (p, doc) -> { });
    }

    private void workdir(String path) throws IOException {
        String current = image.process().path("WorkingDir").asText("");
        String dir = path.startsWith("/") ? path : (current.isEmpty() ? "/" : current) + "/" + path;
        String clean = "/" + String.join("/", InRoot.clean(dir));
        ImageState parent = image;
        step(CreatedBy.nopOneSpace(shell(), "WORKDIR " + clean), Optional.of(() -> run.onView(parent, root -> {
            List<String> missing = missingDirectories(root, clean);
            if (missing.isEmpty()) {
                return Optional.empty();
            }
            CopyPlan plan = new CopyPlan(CopyPlan.Owner.ROOT, Optional.empty(), Optional.of(run.created()));
            missing.forEach(plan::directory);
            return Optional.of(run.differ.write(run.writer.content(), parent.layerMediaType(), plan::write));
        })), (p, doc) -> p.put("WorkingDir", clean), "");
    }

    /**
     * The directories (paths in the image) that {@code mkdir -p dir} makes in the image at {@code root}, symlinks
     * on the way followed inside the image; INVALID_ARGUMENT when a component is not a directory (docker's
     * {@code Cannot mkdir}).
     */
    static List<String> missingDirectories(Path root, String dir) throws IOException {
        List<String> parts = InRoot.clean(dir);
        String parent = "";
        for (int k = 0; k < parts.size(); k++) {
            Optional<Path> host = InRoot.resolve(root, String.join("/", parts.subList(0, k + 1)), true);
            if (host.isEmpty()) {
                List<String> out = new ArrayList<>();
                for (String c : parts.subList(k, parts.size())) {
                    parent = parent.isEmpty() ? c : parent + "/" + c;
                    out.add(parent);
                }
                return out;
            }
            if (!Files.isDirectory(host.get())) {
                throw BerthException.invalidArgument("Cannot mkdir: " + dir + " is not a directory");
            }
            parent = root.relativize(host.get()).toString();
        }
        return List.of();
    }

    private void healthcheck(Instruction.Healthcheck h) throws IOException {
        ObjectNode check = image.process().objectNode();
        array(check, "Test", h.test());
        h.interval().ifPresent(d -> check.put("Interval", d.toNanos()));
        h.timeout().ifPresent(d -> check.put("Timeout", d.toNanos()));
        h.startPeriod().ifPresent(d -> check.put("StartPeriod", d.toNanos()));
        h.retries().ifPresent(r -> check.put("Retries", r));
        String what = CreatedBy.healthcheck(h.test(), h.interval().orElse(Duration.ZERO),
                h.timeout().orElse(Duration.ZERO), h.startPeriod().orElse(Duration.ZERO), h.retries().orElse(0));
        metadata(what, (p, doc) -> p.set("Healthcheck", check));
    }

    /** RUN: shell form in the stage's SHELL; build args in the container's environment and the created_by. */
    private void runStep(Command command) throws IOException {
        List<String> argv = argv(command);
        List<String> env = new ArrayList<>(image.env());
        List<String> buildArgs = new ArrayList<>();
        for (var a : args.entrySet()) {
            if (a.getValue() != null && lookupEnv(a.getKey()).isEmpty()) {
                buildArgs.add(a.getKey() + "=" + a.getValue());
            }
        }
        buildArgs.sort(null);
        env.addAll(buildArgs);
        String createdBy = CreatedBy.run(argv, buildArgs);
        ImageState parent = image;
        step(createdBy, Optional.of(() -> Optional.of(run.runs.run(run.namespace, run.writer, parent, argv, env,
                run.request.networkMode(), mountPointsOf(parent), run::print))), (p, doc) -> { }, "");
    }

    /** Which of the engine's mount-point files the image has (those a RUN's layer must keep). */
    private java.util.Set<String> mountPointsOf(ImageState parent) throws IOException {
        return run.onView(parent, root -> {
            java.util.Set<String> has = new java.util.HashSet<>();
            for (String f : RunStep.MOUNT_POINTS) {
                if (java.nio.file.Files.exists(root.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    has.add(f);
                }
            }
            return has;
        });
    }

    private Optional<String> lookupEnv(String name) {
        return image.env().stream().filter(e -> e.startsWith(name + "=")).findFirst();
    }

    /** A command's argv: exec form as written, shell form run by the stage's SHELL. */
    private List<String> argv(Command command) {
        if (command.execForm()) {
            return command.words();
        }
        List<String> out = new ArrayList<>(shell());
        out.add(String.join(" ", command.words()));
        return out;
    }

    List<String> shell() {
        if (image.process().get("Shell") instanceof ArrayNode a && !a.isEmpty()) {
            List<String> out = new ArrayList<>();
            a.forEach(n -> out.add(n.asText()));
            return out;
        }
        return DEFAULT_SHELL;
    }

    ImageState image() {
        return image;
    }

    /** A step's layer, made on a cache miss; empty when the step changed no file (docker's empty layer). */
    interface Layer {
        Optional<Descriptor> make() throws IOException;
    }

    /** A config change, made on a cache miss: of the process settings, or of the whole document. */
    interface Change {
        void apply(ObjectNode process, ObjectNode config);
    }

    private void metadata(CharSequence what, Change change) throws IOException {
        // the text of ENV and LABEL is complete only once the change ran: run it on a scratch copy first
        ObjectNode scratch = image.config().deepCopy();
        change.apply(scratch.get("config") instanceof ObjectNode o ? o : scratch.putObject("config"), scratch);
        String text = what.toString();
        step(CreatedBy.nop(shell(), text), Optional.empty(), change, "");
    }

    /**
     * A step: its cache entry when the cache still holds for this stage, else its image made (the layer, when
     * the step has one, then the config changed by {@code change}) and recorded as the entry.
     */
    void step(String createdBy, Optional<Layer> layer, Change change, String extraKey) throws IOException {
        String name = BuildCache.name(image.id(), createdBy + "\n" + extraKey);
        if (cacheValid) {
            Optional<ImageState> hit = run.cache.find(run.namespace, name);
            if (hit.isPresent()) {
                image = hit.get();
                run.print(" ---> Using cache\n ---> " + shortId(image.id()) + "\n");
                return;
            }
            cacheValid = false;
        }
        Optional<Descriptor> made = layer.isPresent() ? layer.get().make() : Optional.empty();
        ObjectNode config = image.config().deepCopy();
        change.apply(config.get("config") instanceof ObjectNode o ? o : config.putObject("config"), config);
        image = run.writer.write(image, config, made, createdBy, run.created(), name);
        run.print(" ---> " + shortId(image.id()) + "\n");
    }

    /** The public form of {@link #step} for COPY/ADD. */
    void layerStep(String createdBy, Layer layer, String extraKey) throws IOException {
        step(createdBy, Optional.of(layer), (p, doc) -> { }, extraKey);
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static void setEnv(ObjectNode process, String key, String value) {
        ArrayNode env = process.get("Env") instanceof ArrayNode a ? a : process.putArray("Env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith(key + "=")) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }

    private static ObjectNode object(ObjectNode process, String field) {
        return process.get(field) instanceof ObjectNode o ? o : process.putObject(field);
    }

    private static void array(ObjectNode node, String field, List<String> values) {
        ArrayNode a = node.putArray(field);
        values.forEach(a::add);
    }
}
