package dev.berth.runtime.container;

import static dev.berth.runtime.container.ContainerException.Kind.ALREADY_EXISTS;
import static dev.berth.runtime.container.ContainerException.Kind.INTERNAL;
import static dev.berth.runtime.container.ContainerException.Kind.INVALID_ARGUMENT;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.namespace.NamespaceKind;
import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.process.ContainerSetup;
import dev.berth.runtime.process.InitException;
import dev.berth.runtime.process.ParentProcess;
import dev.berth.runtime.process.PlanBuilder;
import dev.berth.runtime.process.ProcessSetup;
import dev.berth.runtime.rootfs.RootfsPlan;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code create} operation: validates the bundle, claims the state directory, builds the cgroup, runs the
 * init plan and saves the state. Whatever fails, nothing stays behind: no state directory, cgroup or process.
 */
final class ContainerCreator {
    private ContainerCreator() {}

    static Container create(OciRuntime runtime, String id, Path bundle, CreateOptions options) {
        String op = "create " + id;
        Path dir = claimStateDir(runtime.root(), id, op);
        Cgroup cgroup = null;
        try {
            Map<String, Object> config = readConfig(bundle);
            Spec spec = Spec.fromJson(new JsonObject(config, ""));
            if (spec.process() == null) {
                throw new SpecException("process is required");
            }
            Validation.check(spec, options);
            NamespacePlan namespaces = NamespacePlan.forCreate(spec.linux());
            cgroup = Cgroups.open(spec.linux().cgroupsPath(), id, runtime.cgroupHost());
            RootfsPlan resolved = RootfsPlan.from(spec, bundle, namespaces.creates(NamespaceKind.USER),
                    CgroupMounts.dirs(cgroup));
            RootfsPlan rootfs = namespaces.has(NamespaceKind.MOUNT) ? resolved
                    : resolved.withoutMountNamespace(options.noPivot());
            ProcessSetup process = ProcessResolver.resolve(spec.process(), spec.linux());
            Path fifo = dir.resolve("exec.fifo");
            runtime.sys().mkfifo(fifo.toString(), 0622);
            Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw--w--w-"));

            ContainerSetup setup = new ContainerSetup(namespaces, rootfs, process, spec.hostname(),
                    spec.domainname(), spec.linux().sysctl(),
                    NamespacePlan.timeOffsets(spec.linux()), fifo.toString(), spec.hooks().createContainer(),
                    spec.hooks().startContainer(), options.noPivot(), !options.noNewKeyring(), id, options.preserveFds());
            String created = Instant.now().toString();
            Cgroup cg = cgroup;
            int consoleFd = ConsoleSocket.connect(runtime.sys(), options.consoleSocket());
            int pid;
            try {
                List<String> joins = cgroup.joinFiles().stream().map(Path::toString).toList();
                pid = runtime.parent().run(PlanBuilder.forCreate(setup, joins),
                        new ParentProcess.Launch(options.preserveFds(), options.stdio(), consoleFd, false),
                        new ParentProcess.Callbacks() {
                            @Override
                            public void onSpawned(int initPid) {
                                // the directories and the device rules are there before berth-init joins
                                if (joins.isEmpty()) {
                                    cg.apply(initPid);
                                }
                                cg.set(DeviceRules.withDefaults(spec));
                            }

                            @Override
                            public byte[] onHooks(int containerPid) {
                                String state = state(containerPid, ContainerStatus.CREATING);
                                HookRunner.run(runtime.sys(), "prestart", spec.hooks().prestart(), state);
                                HookRunner.run(runtime.sys(), "createRuntime", spec.hooks().createRuntime(), state);
                                // createContainer hooks see "creating", startContainer hooks "created"
                                return (state + "\0" + state(containerPid, ContainerStatus.CREATED))
                                        .getBytes(StandardCharsets.UTF_8);
                            }

                            private String state(int pid, ContainerStatus status) {
                                return Json.write(Container.ociState(spec.ociVersion(), id, pid, status,
                                        bundle.toString(), rootfs.rootfs(), created, spec.annotations()));
                            }
                        });
            } finally {
                ConsoleSocket.release(runtime.sys(), options.consoleSocket(), consoleFd);
            }
            long startTime = ProcStat.liveStartTime(pid).orElseThrow(() -> new ContainerException(INTERNAL,
                    op + ": the container process exited during create"));
            Map<String, String> nsPaths = new LinkedHashMap<>();
            namespaces.listed().forEach((kind, path) -> nsPaths.put(kind.specName(), path));
            ContainerState state = new ContainerState(id, pid, startTime, bundle.toString(), rootfs.rootfs(), created,
                    spec.annotations(), cgroup.paths(), nsPaths, config);
            AtomicFiles.write(dir.resolve("state.json"), state.toJson(), AtomicFiles.PRIVATE);
            if (options.pidFile() != null) {
                AtomicFiles.write(options.pidFile(), Integer.toString(pid), AtomicFiles.SHARED);
            }
            return new Container(runtime, dir, state);
        } catch (SpecException | JsonException e) {
            cleanUp(cgroup, dir);
            throw new ContainerException(INVALID_ARGUMENT, op + ": " + e.getMessage(), e);
        } catch (InitException | CgroupException | SyscallException | IOException e) {
            cleanUp(cgroup, dir);
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(cgroup, dir);
            throw e;
        }
    }

    /** The bundle's config.json as a JSON tree, read once: parsed into the spec and saved in the state. */
    private static Map<String, Object> readConfig(Path bundle) throws IOException {
        if (!Files.isDirectory(bundle)) {
            throw new SpecException("chdir " + bundle + ": no such file or directory");
        }
        Path file = bundle.resolve("config.json");
        if (!Files.exists(file)) {
            throw new SpecException("read " + file + ": no such file or directory");
        }
        try {
            return Json.parseObject(Files.readString(file));
        } catch (JsonException e) {
            throw new SpecException("parse " + file + ": " + e.getMessage());
        }
    }

    private static Path claimStateDir(Path root, String id, String op) {
        Path dir = root.resolve(id);
        try {
            // 0700, as runc's MkdirAll(root, 0700): a root that exists already keeps its mode
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(dir);
            // 0711: a container root mapped to another host uid must still reach exec.fifo by path
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException(ALREADY_EXISTS, op + ": container with given ID already exists");
        } catch (IOException e) {
            throw new ContainerException(INTERNAL, op + ": create state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void cleanUp(Cgroup cgroup, Path dir) {
        if (cgroup != null) {
            try {
                cgroup.destroy();
            } catch (CgroupException e) {
                // the original failure is the one to report
            }
        }
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        try {
            List<Path> paths = new ArrayList<>();
            try (var walk = Files.walk(dir)) {
                walk.forEach(paths::add);
            }
            for (int i = paths.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(paths.get(i));
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + dir, e);
        }
    }
}
