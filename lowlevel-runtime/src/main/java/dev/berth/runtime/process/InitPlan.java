package dev.berth.runtime.process;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The flat, versioned list of steps that berth-init executes in order (docs/init-protocol.md). Each method appends
 * one step; the encoding is {@code "BPLN" u32 version u32 count} then per step {@code u32 op u32 nfields} and per
 * field {@code u32 length, bytes}, integers as 8-byte little-endian.
 */
public final class InitPlan {
    static final int VERSION = 3;

    /** The op codes, as numbered in docs/init-protocol.md and berth-init.c. */
    enum Op {
        FD_CLOEXEC_FROM(1), SETNS(2), OOM_SCORE_ADJ(3), UNSHARE_TIME(4), CLONE(5),
        SETSID(10), HOSTNAME(11), DOMAINNAME(12), ROOTFS(13), MOUNT(14), MKNOD(15), BIND_DEVICE(16), SYMLINK(17),
        EXEC_FIFO_OPEN(18), HOOKS(19), RUN_HOOK(20), PIVOT(21), MASK(22), READONLY(23), SYSCTL(24),
        ROOT_PROPAGATION(25), ROOT_READONLY(26), CONSOLE(27), RLIMIT(28), PERSONALITY(29), UMASK(30), IDENTITY(31),
        CWD(32), NO_NEW_PRIVS(33), ENV(34), RESOLVE_EXEC(35), READY(36), WAIT_FIFO(37), SECCOMP(38), EXEC(39),
        MKDIR(40), DEFAULT_HOME(41), SESSION_KEYRING(42), ROOTFS_DIR(43), CHROOT(44), START_SIGNAL(45),
        CGROUP_JOIN(46);

        final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /** A recorded step, kept for tests and for {@code --debug} logging. */
    record Step(Op op, List<Object> fields) {}

    private final List<Step> steps = new ArrayList<>();

    private InitPlan add(Op op, Object... fields) {
        steps.add(new Step(op, List.of(fields)));
        return this;
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    public InitPlan fdCloexecFrom(int from) {
        return add(Op.FD_CLOEXEC_FROM, (long) from);
    }

    public InitPlan setns(long cloneFlag, String path) {
        return add(Op.SETNS, cloneFlag, path);
    }

    /** P writes {@code "0"} into a cgroup v1 {@code tasks} file: it joins that cgroup itself, before CLONE. */
    public InitPlan cgroupJoin(String tasksFile) {
        return add(Op.CGROUP_JOIN, tasksFile);
    }

    public InitPlan oomScoreAdj(long value) {
        return add(Op.OOM_SCORE_ADJ, Long.toString(value));
    }

    public InitPlan unshareTime(String offsets) {
        return add(Op.UNSHARE_TIME, offsets);
    }

    public InitPlan cloneProcess(long flags, String uidMap, String gidMap, String setgroups) {
        return add(Op.CLONE, flags, uidMap, gidMap, setgroups);
    }

    public InitPlan setsid() {
        return add(Op.SETSID);
    }

    public InitPlan hostname(String name) {
        return add(Op.HOSTNAME, name);
    }

    public InitPlan domainname(String name) {
        return add(Op.DOMAINNAME, name);
    }

    public InitPlan rootfs(String path, long propagation) {
        return add(Op.ROOTFS, path, propagation);
    }

    /** The rootfs of a container without a mount namespace: only a handle on it, no mount (docs/init-protocol.md). */
    public InitPlan rootfsDir(String path) {
        return add(Op.ROOTFS_DIR, path);
    }

    public InitPlan mount(String source, String destination, String type, long flags, String data, long propagation,
                          boolean fileTarget) {
        return add(Op.MOUNT, source, destination, type, flags, data, propagation, fileTarget ? 1L : 0L);
    }

    public InitPlan mknod(String path, long fileType, long major, long minor, long mode, long uid, long gid) {
        return add(Op.MKNOD, path, fileType, major, minor, mode, uid, gid);
    }

    public InitPlan bindDevice(String path) {
        return add(Op.BIND_DEVICE, path);
    }

    public InitPlan symlink(String target, String linkPath) {
        return add(Op.SYMLINK, target, linkPath);
    }

    public InitPlan execFifoOpen(String path) {
        return add(Op.EXEC_FIFO_OPEN, path);
    }

    public InitPlan hooks() {
        return add(Op.HOOKS);
    }

    public InitPlan runHook(String phase, String path, long timeoutSeconds, List<String> args, List<String> env) {
        List<Object> fields = new ArrayList<>();
        fields.add(phase);
        fields.add(path);
        fields.add(timeoutSeconds);
        fields.add((long) args.size());
        fields.addAll(args);
        fields.addAll(env);
        return add(Op.RUN_HOOK, fields.toArray());
    }

    public InitPlan pivot(boolean noPivot) {
        return add(Op.PIVOT, noPivot ? 1L : 0L);
    }

    /** The jail of a container without a mount namespace: chroot into the rootfs. */
    public InitPlan chroot() {
        return add(Op.CHROOT);
    }

    public InitPlan mask(String path) {
        return add(Op.MASK, path);
    }

    public InitPlan readonly(String path) {
        return add(Op.READONLY, path);
    }

    public InitPlan sysctl(String key, String value) {
        return add(Op.SYSCTL, key, value);
    }

    public InitPlan rootPropagation(long flags) {
        return add(Op.ROOT_PROPAGATION, flags);
    }

    public InitPlan rootReadonly() {
        return add(Op.ROOT_READONLY);
    }

    public InitPlan console(int socketFd, long rows, long cols, long uid, long gid) {
        return add(Op.CONSOLE, (long) socketFd, rows, cols, uid, gid);
    }

    public InitPlan rlimit(long resource, long soft, long hard) {
        return add(Op.RLIMIT, resource, soft, hard);
    }

    public InitPlan personality(long persona) {
        return add(Op.PERSONALITY, persona);
    }

    public InitPlan umask(long mask) {
        return add(Op.UMASK, mask);
    }

    public InitPlan identity(long uid, long gid, CapabilitySets caps, List<Long> additionalGids) {
        List<Object> fields = new ArrayList<>(List.of(uid, gid, caps.bounding(), caps.effective(), caps.permitted(),
                caps.inheritable(), caps.ambient()));
        fields.addAll(additionalGids);
        return add(Op.IDENTITY, fields.toArray());
    }

    /**
     * chdir to the process's cwd; {@code verify}: then check with getcwd that it lies inside the container's root
     * (CVE-2024-21626), which needs getcwd to be allowed by a seccomp filter already installed.
     */
    public InitPlan cwd(String path, boolean verify) {
        return add(Op.CWD, path, verify ? 1L : 0L);
    }

    public InitPlan noNewPrivs() {
        return add(Op.NO_NEW_PRIVS);
    }

    public InitPlan env(List<String> env) {
        return add(Op.ENV, env.toArray());
    }

    public InitPlan sessionKeyring(String name) {
        return add(Op.SESSION_KEYRING, name);
    }

    public InitPlan mkdir(String path) {
        return add(Op.MKDIR, path);
    }

    public InitPlan defaultHome(long uid) {
        return add(Op.DEFAULT_HOME, uid);
    }

    public InitPlan resolveExec(String name) {
        return add(Op.RESOLVE_EXEC, name);
    }

    public InitPlan ready() {
        return add(Op.READY);
    }

    public InitPlan waitFifo() {
        return add(Op.WAIT_FIFO);
    }

    /** Writes "0" into exec.fifo opened by WAIT_FIFO: {@code start} is told the container process is released. */
    public InitPlan startSignal() {
        return add(Op.START_SIGNAL);
    }

    public InitPlan seccomp(int flags, byte[] program) {
        return add(Op.SECCOMP, (long) flags, program);
    }

    public InitPlan exec(List<String> argv) {
        return add(Op.EXEC, argv.toArray());
    }

    /** The wire form berth-init reads. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        out.writeBytes("BPLN".getBytes(StandardCharsets.US_ASCII));
        writeU32(out, VERSION);
        writeU32(out, steps.size());
        for (Step step : steps) {
            writeU32(out, step.op().code);
            writeU32(out, step.fields().size());
            for (Object field : step.fields()) {
                byte[] bytes;
                // instanceof, not a pattern switch: each pattern switch spins a class at run time that the AOT cache
                // cannot keep, a few milliseconds of every CLI start
                if (field instanceof Long l) {
                    bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(l).array();
                } else if (field instanceof String s) {
                    bytes = s.getBytes(StandardCharsets.UTF_8);
                } else if (field instanceof byte[] b) {
                    bytes = b;
                } else {
                    throw new IllegalArgumentException("plan field of type " + field.getClass());
                }
                writeU32(out, bytes.length);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
