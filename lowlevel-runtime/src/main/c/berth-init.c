/*
 * berth-init: executes the init plan that berth-runtime sends it.
 *
 * The contract is docs/init-protocol.md. Java decides, C executes: berth-init
 * reads one PLAN message from the sync socket named by _BERTH_SYNC_FD, checks
 * every record against the op table below, then performs the records in
 * order. There is no policy here: whatever a step asks for is done, and any
 * failure is sent back as ERROR (errno + a text naming the step and the
 * object), also printed to stderr, and the process exits 1.
 *
 *   R (berth-runtime)          P (this program)              C (container)
 *   send PLAN      ----------> steps before CLONE
 *                              clone(CLONE_PARENT|flags) --> waits for release
 *                              [user ns: setgroups, maps]
 *                  <---------- PID
 *                              release C, exit 0 ---------->  steps after CLONE
 *                  <--------------------------------------- HOOKS
 *   HOOKS_DONE(state) ------------------------------------> RUN_HOOK ... PIVOT ...
 *                  <--------------------------------------- READY
 *   start: open exec.fifo for reading ---------------------> WAIT_FIFO (open returns)
 *                                                           RUN_HOOK ... START_SIGNAL
 *          reads "0" ... EOF at execve  <------------------ SECCOMP, EXEC
 *
 * Choices made where the protocol document is silent or ambiguous:
 *
 * - SETNS: every SETNS path is opened before the first setns(). Once the
 *   mount namespace of a container has been joined, /proc/<pid>/ns/... of
 *   the host is no longer reachable, so opening lazily would depend on the
 *   order of the records (runc's nsexec opens them all first, too).
 * - CLONE: C is always released over a pipe, also without a user namespace,
 *   and only after P has sent PID. So R always sees PID before any message of
 *   C (an early ERROR of C cannot overtake it). If P fails after the clone,
 *   it SIGKILLs C and still sends PID before ERROR, so that R, whose child
 *   C is, knows which pid to reap.
 * - ROOTFS: a propagation of 0 skips the mount(NULL, "/", ...) call (the
 *   kernel would reject flags 0 with EINVAL). The mount holding the rootfs is
 *   found as runc does: try MS_PRIVATE on the path and walk up while the
 *   kernel says EINVAL (not a mount point).
 * - ROOTFS_DIR and CHROOT (no mount namespace of its own) never touch the
 *   mount table: it is the host's. CHROOT keeps a handle on /proc/self/fd
 *   for WAIT_FIFO, since nothing is mounted in the chrooted rootfs.
 * - WAIT_FIFO .. EXEC: the write end of exec.fifo stays open (close-on-exec)
 *   from WAIT_FIFO until the execve of EXEC closes it, so `start` reads up
 *   to EOF only once the user process runs. Any failure in between writes
 *   the ERROR message, framed as on the sync socket, into the fifo too (after
 *   the "0" of START_SIGNAL if that ran): the sync socket's reader, create,
 *   has gone, and `start` is the one to report it.
 * - MOUNT with MS_BIND: the remount is done on a handle re-opened after the
 *   mount (the old handle points below the new mount). If the remount fails
 *   with EPERM (a user namespace keeps nosuid/nodev/noexec/atime flags of
 *   the source locked), it is retried once with the flags the mount already
 *   has added, as runc does. Propagation is applied to the re-opened handle.
 * - RUN_HOOK: with nargs = 0 the argv is { path }. stdout and stderr of the
 *   hook go to a memfd; on failure its output is copied to berth-init's
 *   stderr (not into the ERROR text, which stays "<phase> hook <path>: exit
 *   status N", "...: signal: killed" or "...: timed out", with errno 0). An
 *   execve failure of the hook is reported as "<phase> hook <path>" with its
 *   errno.
 * - IDENTITY: if setgroups() with an empty list of additional gids fails with
 *   EPERM (a user namespace whose setgroups file says "deny"), it is not an
 *   error: the process keeps the groups it has, as runc does.
 * - RESOLVE_EXEC of a name containing '/': ERROR `exec: "<name>"` with the
 *   errno of stat (or EACCES when no execute bit is set, EISDIR/EACCES when
 *   it is not a regular file).
 * - Failures that have no errno carry errno 0 and stderr shows only the
 *   text: the sync socket closed, a hook's exit status, signal or timeout,
 *   a cwd whose getcwd() does not start with '/'. An unexpected message
 *   type is EPROTO.
 * - At start-up the signal mask is emptied and every signal disposition reset
 *   to SIG_DFL: the spawning JVM thread blocks SIGQUIT, and ignored signals
 *   would survive execve into the container process.
 * - Strings containing a NUL byte are rejected as a wrong field kind, except
 *   SECCOMP's program: a BPF program is binary and always contains NULs,
 *   so the document's "no NUL" cannot hold for that field.
 * - The order the document prescribes for create runs READONLY (typically
 *   /proc/sys) before SYSCTL, which then fails with EROFS; runc writes
 *   sysctls before it applies read-only and masked paths. berth-init runs the
 *   records in the order received, so the plan must put SYSCTL before
 *   MASK/READONLY.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h> /* ST_* bits of statfs.f_flags */
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>

/* Sync-socket message types (docs/init-protocol.md, "Transport"). */
enum {
	MSG_PLAN = 1,
	MSG_PID = 2,
	MSG_HOOKS = 3,
	MSG_HOOKS_DONE = 4,
	MSG_READY = 5,
	MSG_ERROR = 6,
};

/* Plan ops (docs/init-protocol.md, "The plan"). */
enum {
	OP_FD_CLOEXEC_FROM = 1,
	OP_SETNS = 2,
	OP_OOM_SCORE_ADJ = 3,
	OP_UNSHARE_TIME = 4,
	OP_CLONE = 5,
	OP_SETSID = 10,
	OP_HOSTNAME = 11,
	OP_DOMAINNAME = 12,
	OP_ROOTFS = 13,
	OP_MOUNT = 14,
	OP_MKNOD = 15,
	OP_BIND_DEVICE = 16,
	OP_SYMLINK = 17,
	OP_EXEC_FIFO_OPEN = 18,
	OP_HOOKS = 19,
	OP_RUN_HOOK = 20,
	OP_PIVOT = 21,
	OP_MASK = 22,
	OP_READONLY = 23,
	OP_SYSCTL = 24,
	OP_ROOT_PROPAGATION = 25,
	OP_ROOT_READONLY = 26,
	OP_CONSOLE = 27,
	OP_RLIMIT = 28,
	OP_PERSONALITY = 29,
	OP_UMASK = 30,
	OP_IDENTITY = 31,
	OP_CWD = 32,
	OP_NO_NEW_PRIVS = 33,
	OP_ENV = 34,
	OP_RESOLVE_EXEC = 35,
	OP_READY = 36,
	OP_WAIT_FIFO = 37,
	OP_SECCOMP = 38,
	OP_EXEC = 39,
	OP_MKDIR = 40,
	OP_DEFAULT_HOME = 41,
	OP_SESSION_KEYRING = 42,
	OP_ROOTFS_DIR = 43,
	OP_CHROOT = 44,
	OP_START_SIGNAL = 45,
	OP_CGROUP_JOIN = 46,
	OP_MAX = 47,
};

/*
 * The kinds of an op's fields: 'i' is an integer (exactly 8 bytes, i64 LE),
 * 's' a string (no NUL: it is used as a C string), 'b' raw bytes (the seccomp
 * program, which has NULs). A trailing '*' repeats the kind before it zero or
 * more times.
 */
struct op_spec {
	const char *name;
	const char *fields;
};

static const struct op_spec op_specs[OP_MAX] = {
	[OP_FD_CLOEXEC_FROM] = { "FD_CLOEXEC_FROM", "i" },
	[OP_SETNS] = { "SETNS", "is" },
	[OP_OOM_SCORE_ADJ] = { "OOM_SCORE_ADJ", "s" },
	[OP_UNSHARE_TIME] = { "UNSHARE_TIME", "s" },
	[OP_CLONE] = { "CLONE", "isss" },
	[OP_SETSID] = { "SETSID", "" },
	[OP_HOSTNAME] = { "HOSTNAME", "s" },
	[OP_DOMAINNAME] = { "DOMAINNAME", "s" },
	[OP_ROOTFS] = { "ROOTFS", "si" },
	[OP_MOUNT] = { "MOUNT", "sssisii" },
	[OP_MKNOD] = { "MKNOD", "siiiiii" },
	[OP_BIND_DEVICE] = { "BIND_DEVICE", "s" },
	[OP_SYMLINK] = { "SYMLINK", "ss" },
	[OP_EXEC_FIFO_OPEN] = { "EXEC_FIFO_OPEN", "s" },
	[OP_HOOKS] = { "HOOKS", "" },
	[OP_RUN_HOOK] = { "RUN_HOOK", "ssiis*" },
	[OP_PIVOT] = { "PIVOT", "i" },
	[OP_MASK] = { "MASK", "s" },
	[OP_READONLY] = { "READONLY", "s" },
	[OP_SYSCTL] = { "SYSCTL", "ss" },
	[OP_ROOT_PROPAGATION] = { "ROOT_PROPAGATION", "i" },
	[OP_ROOT_READONLY] = { "ROOT_READONLY", "" },
	[OP_CONSOLE] = { "CONSOLE", "iiiii" },
	[OP_RLIMIT] = { "RLIMIT", "iii" },
	[OP_PERSONALITY] = { "PERSONALITY", "i" },
	[OP_UMASK] = { "UMASK", "i" },
	[OP_IDENTITY] = { "IDENTITY", "iiiiiiii*" },
	[OP_CWD] = { "CWD", "si" },
	[OP_NO_NEW_PRIVS] = { "NO_NEW_PRIVS", "" },
	[OP_ENV] = { "ENV", "s*" },
	[OP_RESOLVE_EXEC] = { "RESOLVE_EXEC", "s" },
	[OP_READY] = { "READY", "" },
	[OP_WAIT_FIFO] = { "WAIT_FIFO", "" },
	[OP_SECCOMP] = { "SECCOMP", "ib" },
	[OP_EXEC] = { "EXEC", "ss*" },
	[OP_MKDIR] = { "MKDIR", "s" },
	[OP_DEFAULT_HOME] = { "DEFAULT_HOME", "i" },
	[OP_SESSION_KEYRING] = { "SESSION_KEYRING", "s" },
	[OP_ROOTFS_DIR] = { "ROOTFS_DIR", "s" },
	[OP_CHROOT] = { "CHROOT", "" },
	[OP_START_SIGNAL] = { "START_SIGNAL", "" },
	[OP_CGROUP_JOIN] = { "CGROUP_JOIN", "s" },
};

/* One field of a record: strings are NUL-terminated copies, integers decoded. */
struct field {
	char *s;
	uint32_t len;
	int64_t i;
};

struct step {
	uint32_t op;
	uint32_t nfields;
	struct field *f;
	int nsfd; /* SETNS only: the namespace file, opened before any setns() */
};

#define PLAN_MAX_BYTES (64u << 20)
/* The plan format version this program reads (docs/init-protocol.md, "The plan"). */
#define PLAN_VERSION 3u
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Everything the steps hand to later steps. */
static int sync_fd = -1;
static int rootfs_fd = -1;        /* O_PATH of the rootfs bind mount (ROOTFS) */
static int fifo_fd = -1;          /* O_PATH of exec.fifo (EXEC_FIFO_OPEN) */
static int fd_dir = -1;           /* CHROOT only: O_PATH of /proc/self/fd from before the chroot */
static int fifo_write_fd = -1;    /* WAIT_FIFO until execve: exec.fifo open for writing, start reading it */
static char *hook_state = NULL;   /* HOOKS_DONE: the state for createContainer */
static uint32_t hook_state_len = 0;
static char *start_state = NULL;  /* HOOKS_DONE after a NUL: the state for startContainer */
static uint32_t start_state_len = 0;
static char **exec_env = NULL;    /* ENV */
static char *exec_path = NULL;    /* RESOLVE_EXEC */
static pid_t clone_child = -1;    /* in P after CLONE: C, killed if P fails */
static bool pid_sent = false;     /* in P: PID has been sent */

/* ---------------------------------------------------------------- errors */

static void put_u32(char *p, uint32_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)((v >> 8) & 0xff);
	p[2] = (char)((v >> 16) & 0xff);
	p[3] = (char)((v >> 24) & 0xff);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int64_t get_i64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int k = 7; k >= 0; k--)
		v = v << 8 | p[k];
	return (int64_t)v;
}

/*
 * Sends one message as a single send(), header and payload together, so that
 * a message is never interleaved with another process's message on the
 * shared socket. MSG_NOSIGNAL: R may be gone (after READY in create), and a
 * SIGPIPE would kill us instead of returning EPIPE.
 */
static int send_msg(uint32_t type, const void *payload, uint32_t len)
{
	char hdr[8];
	put_u32(hdr, type);
	put_u32(hdr + 4, len);
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	size_t left = sizeof(hdr) + len;
	while (left > 0) {
		ssize_t n = sendmsg(sync_fd, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		left -= (size_t)n;
		/* A short send on a stream socket: advance the iovecs. */
		while (n > 0 && msg.msg_iovlen > 0) {
			if ((size_t)n >= msg.msg_iov->iov_len) {
				n -= (ssize_t)msg.msg_iov->iov_len;
				msg.msg_iov++;
				msg.msg_iovlen--;
			} else {
				msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + n;
				msg.msg_iov->iov_len -= (size_t)n;
				n = 0;
			}
		}
	}
	return 0;
}

/*
 * After WAIT_FIFO the reader of the sync socket (create) has gone: the ERROR
 * message goes into exec.fifo, framed as on the socket, for `start` to
 * report. SIGPIPE ignored: if start has gone too, the write just fails.
 */
static void write_fifo_error(const char *payload, uint32_t len)
{
	char hdr[8];
	put_u32(hdr, MSG_ERROR);
	put_u32(hdr + 4, len);
	signal(SIGPIPE, SIG_IGN);
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	/* One writev of at most 8 + 4 + 4096 bytes: the fifo's buffer takes it whole. */
	ssize_t n;
	do
		n = writev(fifo_write_fd, iov, 2);
	while (n < 0 && errno == EINTR);
	close(fifo_write_fd);
	fifo_write_fd = -1;
}

/*
 * Reports a failure and exits: ERROR on the sync socket (i32 errno, text)
 * and "berth-init: <text>: <strerror>" on stderr, because after READY in
 * create nobody reads the socket any more.
 */
static void __attribute__((noreturn)) vdie(int status, int err, const char *fmt, va_list ap)
{
	char text[4096];
	char msg[4 + sizeof(text)];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (err)
		fprintf(stderr, "berth-init: %s: %s\n", text, strerror(err));
	else
		fprintf(stderr, "berth-init: %s\n", text);

	/*
	 * P failing after the clone: kill C, then tell R its pid anyway, so
	 * that R (whose child C is) can reap it like any other failed C.
	 */
	if (clone_child > 0) {
		kill(clone_child, SIGKILL);
		if (!pid_sent) {
			put_u32(msg, (uint32_t)clone_child);
			send_msg(MSG_PID, msg, 4);
		}
	}
	size_t len = strlen(text);
	put_u32(msg, (uint32_t)err);
	memcpy(msg + 4, text, len);
	if (sync_fd >= 0)
		send_msg(MSG_ERROR, msg, (uint32_t)(4 + len));
	if (fifo_write_fd >= 0)
		write_fifo_error(msg, (uint32_t)(4 + len));
	_exit(status);
}

/* Fails with the given errno (0: none). */
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(1, err, fmt, ap);
}

/* The failure of EXEC itself: exit status 127, as a shell reports "not executable". */
static void __attribute__((noreturn, format(printf, 2, 3))) die_exec(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(127, err, fmt, ap);
}

/* Fails with the current errno. */
static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vdie(1, err, fmt, ap);
}

/* ------------------------------------------------------------ small I/O */

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = 0;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads one message; fails on EOF or error. The payload is NUL-terminated. */
static char *recv_msg(uint32_t *type, uint32_t *len, const char *what)
{
	unsigned char hdr[8];
	if (read_full(sync_fd, hdr, sizeof(hdr)) < 0) {
		if (errno == 0)
			fail(0, "%s: sync socket closed", what);
		bail("%s: read sync socket", what);
	}
	*type = get_u32(hdr);
	*len = get_u32(hdr + 4);
	if (*len > PLAN_MAX_BYTES)
		fail(EMSGSIZE, "%s: message of %u bytes", what, *len);
	char *payload = malloc((size_t)*len + 1);
	if (payload == NULL)
		bail("%s: malloc", what);
	if (read_full(sync_fd, payload, *len) < 0) {
		if (errno == 0)
			fail(0, "%s: sync socket closed", what);
		bail("%s: read sync socket", what);
	}
	payload[*len] = '\0';
	return payload;
}

/*
 * Writes a whole value to a proc file with a single write(): the kernel
 * parses uid_map, timens_offsets, sysctls and the like per write() call.
 */
static void write_file(const char *path, const char *value, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		bail("open %s", path);
	ssize_t n = write(fd, value, len);
	if (n < 0)
		bail("write %s", path);
	if ((size_t)n != len)
		fail(EIO, "write %s: short write", path);
	close(fd);
}

static void fd_path(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* ------------------------------------------------------------ the plan */

static struct step *parse_plan(const unsigned char *p, uint32_t len, uint32_t *count)
{
	const unsigned char *end = p + len;

	if (len < 12 || memcmp(p, "BPLN", 4) != 0)
		fail(EINVAL, "plan: bad magic");
	if (get_u32(p + 4) != PLAN_VERSION)
		fail(EINVAL, "plan: unsupported version %u", get_u32(p + 4));
	*count = get_u32(p + 8);
	p += 12;
	if (*count > len / 8)
		fail(EINVAL, "plan: %u records do not fit in %u bytes", *count, len);

	struct step *steps = calloc(*count ? *count : 1, sizeof(*steps));
	if (steps == NULL)
		bail("plan: calloc");

	for (uint32_t r = 0; r < *count; r++) {
		struct step *s = &steps[r];
		if (end - p < 8)
			fail(EINVAL, "plan: record %u truncated", r);
		s->op = get_u32(p);
		s->nfields = get_u32(p + 4);
		s->nsfd = -1;
		p += 8;
		if (s->op >= OP_MAX || op_specs[s->op].name == NULL)
			fail(EINVAL, "plan: unknown op %u", s->op);
		const struct op_spec *spec = &op_specs[s->op];
		if (s->nfields > (size_t)(end - p) / 4)
			fail(EINVAL, "plan: %s: %u fields do not fit", spec->name, s->nfields);
		s->f = calloc(s->nfields ? s->nfields : 1, sizeof(*s->f));
		if (s->f == NULL)
			bail("plan: calloc");

		/* The fixed fields, then the repeated kind (if any) for the rest. */
		const char *kinds = spec->fields;
		size_t nkinds = strlen(kinds);
		bool repeat = nkinds > 0 && kinds[nkinds - 1] == '*';
		size_t nfixed = repeat ? nkinds - 2 : nkinds;
		if (repeat ? s->nfields < nfixed : s->nfields != nfixed)
			fail(EINVAL, "plan: %s: wrong field count %u", spec->name, s->nfields);

		for (uint32_t k = 0; k < s->nfields; k++) {
			struct field *f = &s->f[k];
			char kind = k < nfixed ? kinds[k] : kinds[nkinds - 2];
			if (end - p < 4)
				fail(EINVAL, "plan: %s: field %u truncated", spec->name, k);
			f->len = get_u32(p);
			p += 4;
			if (f->len > (size_t)(end - p))
				fail(EINVAL, "plan: %s: field %u truncated", spec->name, k);
			if (kind == 'i') {
				if (f->len != 8)
					fail(EINVAL, "plan: %s: field %u is not an integer", spec->name, k);
				f->i = get_i64(p);
			} else if (kind == 's' && memchr(p, '\0', f->len) != NULL) {
				fail(EINVAL, "plan: %s: field %u is not a string", spec->name, k);
			}
			f->s = malloc((size_t)f->len + 1);
			if (f->s == NULL)
				bail("plan: malloc");
			memcpy(f->s, p, f->len);
			f->s[f->len] = '\0';
			p += f->len;
		}

		if (s->op == OP_RUN_HOOK && (s->f[3].i < 0 || s->f[3].i > (int64_t)s->nfields - 4))
			fail(EINVAL, "plan: RUN_HOOK: nargs %lld does not fit", (long long)s->f[3].i);
	}
	if (p != end)
		fail(EINVAL, "plan: %zu bytes after the last record", (size_t)(end - p));
	return steps;
}

/* ------------------------------------------------ paths inside the rootfs */

/*
 * Resolves path as if rootfs_fd were "/": RESOLVE_IN_ROOT clamps ".." and
 * absolute symlinks to the rootfs, so an image's symlinks cannot point a
 * mount outside it; RESOLVE_NO_MAGICLINKS refuses /proc/<pid>/fd-style
 * jumps. The result is an O_PATH handle that later calls use as
 * /proc/self/fd/N.
 */
static int open_in_root(const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	if (rootfs_fd < 0) {
		errno = EBADF;
		return -1;
	}
	int fd;
	do
		fd = (int)syscall(SYS_openat2, rootfs_fd, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	return fd;
}

/*
 * Returns an O_PATH handle of directory path in the rootfs, creating the
 * missing components. Each prefix is resolved from the rootfs with
 * RESOLVE_IN_ROOT, and a missing component is created with mkdirat() on the
 * handle of its (already resolved) parent: mkdirat() of a single name never
 * follows a symlink, so nothing is created outside the rootfs.
 */
static int mkdir_in_root(const char *path)
{
	char prefix[PATH_MAX];
	size_t len = strlen(path);
	if (len >= sizeof(prefix)) {
		errno = ENAMETOOLONG;
		bail("mkdir %s", path);
	}

	int dirfd = open_in_root("/", O_PATH | O_DIRECTORY);
	if (dirfd < 0)
		bail("open / in rootfs");
	size_t i = 0;
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t start = i;
		while (i < len && path[i] != '/')
			i++;
		memcpy(prefix, path, i);
		prefix[i] = '\0';

		int next = open_in_root(prefix, O_PATH | O_DIRECTORY);
		if (next < 0 && errno == ENOENT) {
			char name[NAME_MAX + 1];
			if (i - start > NAME_MAX) {
				errno = ENAMETOOLONG;
				bail("mkdir %s", prefix);
			}
			memcpy(name, path + start, i - start);
			name[i - start] = '\0';
			if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
				bail("mkdir %s", prefix);
			next = open_in_root(prefix, O_PATH | O_DIRECTORY);
		}
		if (next < 0)
			bail("open %s", prefix);
		close(dirfd);
		dirfd = next;
	}
	return dirfd;
}

/* Splits path into its parent (a directory handle, created) and last name. */
static int parent_in_root(const char *path, char *name, size_t size)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		bail("open %s", path);
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		errno = EINVAL;
		bail("open %s: not a file name", path);
	}
	if (strlen(base) >= size) {
		errno = ENAMETOOLONG;
		bail("open %s", path);
	}
	strcpy(name, base);
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		strcpy(dir, "/");
	return mkdir_in_root(dir);
}

/*
 * Returns an O_PATH handle of path in the rootfs; if it is missing, creates
 * its parents and, as the last component, a directory (kind 0) or an empty
 * file (kind 1). The file is created with O_EXCL, which never follows a
 * symlink: a dangling symlink in the image yields EEXIST, then ENOENT on the
 * re-resolve, and is reported instead of being followed out of the rootfs.
 */
static int ensure_in_root(const char *path, int64_t kind)
{
	int fd = open_in_root(path, O_PATH);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		bail("open %s", path);
	if (kind == 0)
		return mkdir_in_root(path);

	char name[NAME_MAX + 1];
	int dirfd = parent_in_root(path, name, sizeof(name));
	int file = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (file < 0 && errno != EEXIST)
		bail("create %s", path);
	if (file >= 0)
		close(file);
	close(dirfd);
	fd = open_in_root(path, O_PATH);
	if (fd < 0)
		bail("open %s", path);
	return fd;
}

/*
 * The MS_* flags that a bind remount must keep because the kernel locks them
 * (in a user namespace) or because they were there before. statfs reports
 * them as ST_* bits, which differ from MS_* for the atime flags.
 */
static unsigned long mount_flags_of(int fd, const char *what)
{
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0)
		bail("statfs %s", what);
	unsigned long flags = 0;
	if (sfs.f_flags & ST_RDONLY)
		flags |= MS_RDONLY;
	if (sfs.f_flags & ST_NOSUID)
		flags |= MS_NOSUID;
	if (sfs.f_flags & ST_NODEV)
		flags |= MS_NODEV;
	if (sfs.f_flags & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (sfs.f_flags & ST_NOATIME)
		flags |= MS_NOATIME;
	if (sfs.f_flags & ST_NODIRATIME)
		flags |= MS_NODIRATIME;
	if (sfs.f_flags & ST_RELATIME)
		flags |= MS_RELATIME;
	return flags;
}

/* ------------------------------------------------------- steps before CLONE */

static void do_fd_cloexec_from(struct step *s)
{
	/* Marks rather than closes: fds the JVM opened stay usable until execve. */
	if (s->f[0].i < 0 || s->f[0].i > INT_MAX)
		fail(EINVAL, "close_range %lld", (long long)s->f[0].i);
	if (close_range((unsigned int)s->f[0].i, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		bail("close_range %lld", (long long)s->f[0].i);
}

static void do_setns(struct step *s)
{
	if (setns(s->nsfd, (int)s->f[0].i) < 0)
		bail("setns %s", s->f[1].s);
	close(s->nsfd);
	s->nsfd = -1;
}

static void do_unshare_time(struct step *s)
{
	/*
	 * unshare(CLONE_NEWTIME) does not move the caller: only its children
	 * enter the new time namespace, which is why this runs before CLONE.
	 * The offsets can only be written until the first process enters it.
	 */
	if (unshare(CLONE_NEWTIME) < 0)
		bail("unshare time namespace");
	write_file("/proc/self/timens_offsets", s->f[0].s, s->f[0].len);
}

static void write_id_map(pid_t pid, const char *file, const struct field *f)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	write_file(path, f->s, f->len);
}

/*
 * clone(CLONE_PARENT): C becomes R's child, so R (and later the shim) reaps it
 * and P can simply exit. The raw syscall with a NULL stack behaves like fork:
 * C continues right here on a copy of P's stack. glibc is not told about the
 * new process (its cached thread id in the TCB still names P), which is
 * harmless here: C only uses plain syscalls, fork() and execve().
 *
 * Returns in C; P never returns.
 */
static void do_clone(struct step *s)
{
	int64_t flags = s->f[0].i;
	int release[2];

	if (pipe2(release, O_CLOEXEC) < 0)
		bail("clone: pipe");

	long pid = syscall(SYS_clone, (unsigned long)(CLONE_PARENT | SIGCHLD | flags), 0, 0, 0, 0);
	if (pid < 0)
		bail("clone");

	if (pid == 0) {
		char c;
		close(release[1]);
		/* EOF: P failed and has reported it already; say nothing more. */
		if (read_full(release[0], &c, 1) < 0)
			_exit(1);
		close(release[0]);
		if (flags & CLONE_NEWUSER) {
			/* We are root in the new user namespace only once we say so. */
			if (setresgid(0, 0, 0) < 0)
				bail("setresgid 0");
			if (setresuid(0, 0, 0) < 0)
				bail("setresuid 0");
		}
		return;
	}

	clone_child = (pid_t)pid;
	close(release[0]);
	if (flags & CLONE_NEWUSER) {
		/*
		 * setgroups must be written before gid_map: an unprivileged
		 * writer may only map gids after setgroups is "deny".
		 */
		if (s->f[3].len > 0)
			write_id_map(clone_child, "setgroups", &s->f[3]);
		write_id_map(clone_child, "uid_map", &s->f[1]);
		write_id_map(clone_child, "gid_map", &s->f[2]);
	}

	char msg[4];
	put_u32(msg, (uint32_t)pid);
	if (send_msg(MSG_PID, msg, sizeof(msg)) < 0)
		bail("send PID");
	pid_sent = true;
	if (write_full(release[1], "R", 1) < 0)
		bail("clone: release child");
	exit(0);
}

/* -------------------------------------------------------- steps after CLONE */

static void do_rootfs(struct step *s)
{
	const char *path = s->f[0].s;
	unsigned long propagation = (unsigned long)s->f[1].i;

	if (propagation != 0 && mount(NULL, "/", NULL, propagation, NULL) < 0)
		bail("mount propagation of /");

	/*
	 * pivot_root refuses a new root whose parent mount is shared. The mount
	 * holding path is found by trying: mount(MS_PRIVATE) fails with EINVAL
	 * on a directory that is not a mount point, so walk up until it works.
	 */
	char dir[PATH_MAX];
	if (strlen(path) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		bail("rootfs %s", path);
	}
	strcpy(dir, path);
	for (;;) {
		if (mount(NULL, dir, NULL, MS_PRIVATE, NULL) == 0)
			break;
		if (errno != EINVAL || strcmp(dir, "/") == 0)
			bail("make parent mount of %s private", path);
		char *slash = strrchr(dir, '/');
		if (slash == NULL)
			bail("make parent mount of %s private", path);
		slash[slash == dir ? 1 : 0] = '\0';
	}

	/* A bind mount of the rootfs onto itself is a mount point pivot_root can use. */
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		bail("bind mount rootfs %s", path);
	rootfs_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfs_fd < 0)
		bail("open rootfs %s", path);
}

/* No mount namespace of its own: the host's mount table is left as it is; only a handle on the rootfs. */
static void do_rootfs_dir(struct step *s)
{
	rootfs_fd = open(s->f[0].s, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfs_fd < 0)
		bail("open rootfs %s", s->f[0].s);
}

static void do_mount(struct step *s)
{
	const char *source = s->f[0].s, *dest = s->f[1].s, *fstype = s->f[2].s, *data = s->f[4].s;
	unsigned long flags = (unsigned long)s->f[3].i;
	unsigned long propagation = (unsigned long)s->f[5].i;
	char target[64];

	int fd = ensure_in_root(dest, s->f[6].i);
	fd_path(target, sizeof(target), fd);
	if (mount(*source ? source : NULL, target, *fstype ? fstype : NULL, flags, *data ? data : NULL) < 0)
		bail("mount %s to %s", *source ? source : fstype, dest);

	/*
	 * fd still names the directory under the new mount; re-resolve dest to
	 * get the mount itself for the remount and the propagation change.
	 */
	close(fd);
	fd = open_in_root(dest, O_PATH);
	if (fd < 0)
		bail("open %s", dest);
	fd_path(target, sizeof(target), fd);

	/* The kernel ignores per-mount flags on a first bind; they need a remount. */
	const unsigned long bind_flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
					 MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
	if ((flags & MS_BIND) && (flags & bind_flags)) {
		unsigned long remount = MS_BIND | MS_REMOUNT | (flags & bind_flags);
		if (mount(NULL, target, NULL, remount, NULL) < 0) {
			/* In a user namespace the source's nosuid/nodev/... are locked: keep them. */
			if (errno != EPERM ||
			    mount(NULL, target, NULL, remount | mount_flags_of(fd, dest), NULL) < 0)
				bail("remount %s", dest);
		}
	}

	if (propagation != 0 && mount(NULL, target, NULL, propagation, NULL) < 0)
		bail("mount propagation of %s", dest);
	close(fd);
}

static void do_mknod(struct step *s)
{
	const char *path = s->f[0].s;
	mode_t type = (mode_t)s->f[1].i, mode = (mode_t)s->f[4].i & 07777;
	char name[NAME_MAX + 1];
	struct stat st;

	int dirfd = parent_in_root(path, name, sizeof(name));
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
	    unlinkat(dirfd, name, 0) < 0)
		bail("remove %s", path);
	if (mknodat(dirfd, name, type | mode, makedev((unsigned int)s->f[2].i, (unsigned int)s->f[3].i)) < 0)
		bail("mknod %s", path);
	/* mknod applied the umask; set the exact mode. */
	if (fchmodat(dirfd, name, mode, 0) < 0)
		bail("chmod %s", path);
	if (fchownat(dirfd, name, (uid_t)s->f[5].i, (gid_t)s->f[6].i, AT_SYMLINK_NOFOLLOW) < 0)
		bail("chown %s", path);
	close(dirfd);
}

static void do_bind_device(struct step *s)
{
	const char *path = s->f[0].s;
	char target[64];

	/* In a user namespace mknod is refused, but binding the host's node works. */
	int fd = ensure_in_root(path, 1);
	fd_path(target, sizeof(target), fd);
	if (mount(path, target, NULL, MS_BIND, NULL) < 0)
		bail("bind mount device %s", path);
	close(fd);
}

static void do_symlink(struct step *s)
{
	const char *target = s->f[0].s, *linkpath = s->f[1].s;
	char name[NAME_MAX + 1];

	int dirfd = parent_in_root(linkpath, name, sizeof(name));
	if (symlinkat(target, dirfd, name) < 0 && errno != EEXIST)
		bail("symlink %s to %s", linkpath, target);
	close(dirfd);
}

static void do_exec_fifo_open(struct step *s)
{
	/* O_PATH does not open the fifo, so it does not block and wakes no reader. */
	fifo_fd = open(s->f[0].s, O_PATH | O_CLOEXEC);
	if (fifo_fd < 0)
		bail("open %s", s->f[0].s);
}

static void do_hooks(void)
{
	uint32_t type;

	if (send_msg(MSG_HOOKS, NULL, 0) < 0)
		bail("send HOOKS");
	hook_state = recv_msg(&type, &hook_state_len, "wait for HOOKS_DONE");
	if (type != MSG_HOOKS_DONE)
		fail(EPROTO, "wait for HOOKS_DONE: got message %u", type);
	/* two documents, "creating" then "created": JSON has no NUL to confuse */
	char *nul = memchr(hook_state, '\0', hook_state_len);
	if (nul != NULL) {
		start_state = nul + 1;
		start_state_len = hook_state_len - (uint32_t)(nul + 1 - hook_state);
		hook_state_len = (uint32_t)(nul - hook_state);
	}
}

/* Copies what a failed hook printed to our stderr, so that it is not lost. */
static void dump_hook_output(int out)
{
	char buf[4096];
	ssize_t n;
	off_t off = 0;
	while ((n = pread(out, buf, sizeof(buf), off)) > 0) {
		if (write_full(STDERR_FILENO, buf, (size_t)n) < 0)
			break;
		off += n;
	}
}

static void do_run_hook(struct step *s)
{
	const char *phase = s->f[0].s, *path = s->f[1].s;
	int64_t timeout = s->f[2].i;
	uint32_t nargs = (uint32_t)s->f[3].i;
	uint32_t nenv = s->nfields - 4 - nargs;

	char **argv = calloc((size_t)nargs + 2, sizeof(char *));
	char **envp = calloc((size_t)nenv + 1, sizeof(char *));
	if (argv == NULL || envp == NULL)
		bail("%s hook %s: calloc", phase, path);
	if (nargs == 0)
		argv[0] = (char *)path;
	for (uint32_t k = 0; k < nargs; k++)
		argv[k] = s->f[4 + k].s;
	for (uint32_t k = 0; k < nenv; k++)
		envp[k] = s->f[4 + nargs + k].s;

	/*
	 * The state goes into the pipe before the fork, so the write cannot
	 * block on a hook that never reads: the pipe is grown to hold it all.
	 */
	int in[2], errpipe[2];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(errpipe, O_CLOEXEC) < 0)
		bail("%s hook %s: pipe", phase, path);
	const char *state = hook_state ? hook_state : "";
	uint32_t state_len = hook_state_len;
	if (start_state != NULL && strcmp(phase, "startContainer") == 0) {
		state = start_state;
		state_len = start_state_len;
	}
	if (state_len > 65536 && fcntl(in[1], F_SETPIPE_SZ, (int)state_len) < 0)
		bail("%s hook %s: grow pipe", phase, path);
	if (write_full(in[1], state, state_len) < 0)
		bail("%s hook %s: write state", phase, path);
	close(in[1]);

	/* A memfd collects the output: no pipe to drain, no wait for its EOF. */
	int out = memfd_create("berth-hook-output", MFD_CLOEXEC);
	if (out < 0)
		bail("%s hook %s: memfd_create", phase, path);

	pid_t pid = fork();
	if (pid < 0)
		bail("%s hook %s: fork", phase, path);
	if (pid == 0) {
		/* dup2 clears FD_CLOEXEC on 0, 1 and 2 only. */
		if (dup2(in[0], 0) >= 0 && dup2(out, 1) >= 0 && dup2(out, 2) >= 0)
			execve(path, argv, envp);
		int err = errno;
		write_full(errpipe[1], &err, sizeof(err));
		_exit(127);
	}
	close(in[0]);
	close(errpipe[1]);

	/* The error pipe closes on a successful execve (O_CLOEXEC). */
	int err;
	if (read_full(errpipe[0], &err, sizeof(err)) == 0) {
		waitpid(pid, NULL, 0);
		fail(err, "%s hook %s", phase, path);
	}
	close(errpipe[0]);

	if (timeout > 0) {
		/* A pidfd becomes readable when the process exits: poll gives the timeout. */
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			bail("%s hook %s: pidfd_open", phase, path);
		int ms = timeout > INT_MAX / 1000 ? INT_MAX : (int)timeout * 1000;
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int r;
		do
			r = poll(&pfd, 1, ms);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			bail("%s hook %s: poll", phase, path);
		close(pidfd);
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			dump_hook_output(out);
			fail(0, "%s hook %s: timed out", phase, path);
		}
	}

	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bail("%s hook %s: wait", phase, path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		close(out);
		return;
	}
	dump_hook_output(out);
	if (WIFEXITED(status))
		fail(0, "%s hook %s: exit status %d", phase, path, WEXITSTATUS(status));
	/* Go's wording: "signal: killed", "signal: segmentation fault". */
	char sig[64];
	snprintf(sig, sizeof(sig), "%s", strsignal(WTERMSIG(status)));
	sig[0] = (char)tolower((unsigned char)sig[0]);
	fail(0, "%s hook %s: signal: %s", phase, path, sig);
}

static void do_pivot(struct step *s)
{
	if (fchdir(rootfs_fd) < 0)
		bail("chdir to rootfs");
	if (s->f[0].i == 0) {
		/*
		 * pivot_root(".", ".") stacks the old root on top of the new one,
		 * both at "/": no directory for the old root is needed. After it,
		 * "." is the old root; detach it, but first make it a slave so
		 * the unmount does not propagate to the host.
		 */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			bail("pivot_root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			bail("make old root slave");
		if (umount2(".", MNT_DETACH) < 0)
			bail("unmount old root");
	} else {
		/* For a rootfs on ramfs/initramfs, where pivot_root is refused. */
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			bail("move rootfs to /");
		if (chroot(".") < 0)
			bail("chroot");
	}
	if (chdir("/") < 0)
		bail("chdir /");
}

/* No mount namespace: nothing to pivot, the process is jailed with chroot (runc's chroot()). */
static void do_chroot(void)
{
	/*
	 * Nothing is mounted in a chrooted rootfs, so /proc/self/fd, which
	 * WAIT_FIFO reopens the fifo through, is not there: keep a handle on
	 * this process's fd directory (close-on-exec, closed by WAIT_FIFO).
	 */
	if (fifo_fd >= 0) {
		fd_dir = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd_dir < 0)
			bail("open /proc/self/fd");
	}
	if (fchdir(rootfs_fd) < 0)
		bail("chdir to rootfs");
	if (chroot(".") < 0)
		bail("chroot");
	if (chdir("/") < 0)
		bail("chdir /");
}

static void do_mask(struct step *s)
{
	const char *path = s->f[0].s;
	char target[64];
	struct stat st;

	int fd = open_in_root(path, O_PATH);
	if (fd < 0) {
		if (errno == ENOENT)
			return;
		bail("open %s", path);
	}
	if (fstat(fd, &st) < 0)
		bail("stat %s", path);
	fd_path(target, sizeof(target), fd);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", target, "tmpfs", MS_RDONLY, NULL) < 0)
			bail("mask %s", path);
	} else if (mount("/dev/null", target, NULL, MS_BIND, NULL) < 0) {
		bail("mask %s", path);
	}
	close(fd);
}

static void do_readonly(struct step *s)
{
	const char *path = s->f[0].s;
	char target[64];

	int fd = open_in_root(path, O_PATH);
	if (fd < 0) {
		if (errno == ENOENT)
			return;
		bail("open %s", path);
	}
	fd_path(target, sizeof(target), fd);
	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		bail("bind mount %s", path);
	close(fd);

	/* Re-resolve: the old handle is under the bind mount, not on it. */
	fd = open_in_root(path, O_PATH);
	if (fd < 0)
		bail("open %s", path);
	fd_path(target, sizeof(target), fd);
	unsigned long keep = mount_flags_of(fd, path) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | keep, NULL) < 0)
		bail("remount %s read-only", path);
	close(fd);
}

static void do_sysctl(struct step *s)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "/proc/sys/%s", s->f[0].s) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		bail("sysctl %s", s->f[0].s);
	}
	for (char *c = path + strlen("/proc/sys/"); *c; c++)
		if (*c == '.')
			*c = '/';
	write_file(path, s->f[1].s, s->f[1].len);
}

static void do_root_readonly(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		bail("open /");
	unsigned long keep = mount_flags_of(fd, "/") & ~MS_RDONLY;
	close(fd);
	if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
		bail("remount / read-only");
}

static void do_console(struct step *s)
{
	int sock = (int)s->f[0].i;

	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		bail("open /dev/ptmx");
	if (unlockpt(master) < 0)
		bail("unlockpt");
	/* TIOCGPTPEER opens the peer through the master: no /dev/pts/N path to race on. */
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		bail("open pty peer");
	/* the process's user owns its terminal, as with a login (runc does the same) */
	if (fchown(peer, (uid_t)s->f[3].i, (gid_t)s->f[4].i) < 0)
		bail("chown the console to %lld:%lld", (long long)s->f[3].i, (long long)s->f[4].i);
	if (s->f[1].i != 0 || s->f[2].i != 0) {
		struct winsize ws = { .ws_row = (unsigned short)s->f[1].i, .ws_col = (unsigned short)s->f[2].i };
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			bail("set console size");
	}

	char name[64];
	if (ptsname_r(master, name, sizeof(name)) != 0)
		bail("ptsname");
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = { .iov_base = name, .iov_len = strlen(name) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		bail("send console to fd %d", sock);
	close(master);
	close(sock);

	for (int k = 0; k < 3; k++)
		if (dup2(peer, k) < 0)
			bail("dup console onto fd %d", k);
	if (peer > 2)
		close(peer);
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		bail("set controlling terminal");
}

static void do_rlimit(struct step *s)
{
	struct rlimit rl = {
		.rlim_cur = s->f[1].i == -1 ? RLIM_INFINITY : (rlim_t)s->f[1].i,
		.rlim_max = s->f[2].i == -1 ? RLIM_INFINITY : (rlim_t)s->f[2].i,
	};
	static const char *const names[] = {
		"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
		"RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
		"RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
	};
	int64_t resource = s->f[0].i;
	if (prlimit(0, (int)resource, &rl, NULL) < 0) {
		if (resource >= 0 && resource < (int64_t)(sizeof(names) / sizeof(names[0])))
			bail("setrlimit %s", names[resource]);
		bail("setrlimit %lld", (long long)resource);
	}
}

static void do_identity(struct step *s)
{
	uid_t uid = (uid_t)s->f[0].i;
	gid_t gid = (gid_t)s->f[1].i;
	uint64_t bounding = (uint64_t)s->f[2].i;
	uint64_t effective = (uint64_t)s->f[3].i, permitted = (uint64_t)s->f[4].i;
	uint64_t inheritable = (uint64_t)s->f[5].i, ambient = (uint64_t)s->f[6].i;
	size_t ngroups = s->nfields - 7;

	/* PR_CAPBSET_READ fails with EINVAL past the kernel's last capability. */
	for (int cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;
		if (!(bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			bail("drop capability %d from the bounding set", cap);
	}

	/* Without KEEPCAPS, leaving uid 0 would clear the permitted set. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		bail("prctl PR_SET_KEEPCAPS 1");

	gid_t *groups = calloc(ngroups ? ngroups : 1, sizeof(gid_t));
	if (groups == NULL)
		bail("setgroups: calloc");
	for (size_t k = 0; k < ngroups; k++)
		groups[k] = (gid_t)s->f[7 + k].i;
	if (setgroups(ngroups, groups) < 0 && !(errno == EPERM && ngroups == 0))
		bail("setgroups");

	if (setresgid(gid, gid, gid) < 0)
		bail("setresgid %u", gid);
	if (setresuid(uid, uid, uid) < 0)
		bail("setresuid %u", uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		bail("prctl PR_SET_KEEPCAPS 0");

	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
	};
	if (syscall(SYS_capset, &hdr, data) < 0)
		bail("capset");

	for (int cap = 0; cap < 64; cap++)
		if ((ambient & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			bail("raise ambient capability %d", cap);
}

static void do_cwd(struct step *s)
{
	const char *path = s->f[0].s;
	char buf[PATH_MAX];

	if (chdir(path) < 0)
		bail("chdir %s", path);
	if (s->f[1].i == 0)
		return;
	/*
	 * A cwd reached through a directory outside the root (a leaked fd, as
	 * in CVE-2024-21626) makes getcwd fail with ENOENT or return a path
	 * starting with "(unreachable)".
	 */
	if (getcwd(buf, sizeof(buf)) == NULL)
		bail("cwd %s: outside the container root", path);
	if (buf[0] != '/')
		fail(0, "cwd %s: outside the container root", path);
}

static void do_env(struct step *s)
{
	exec_env = calloc((size_t)s->nfields + 1, sizeof(char *));
	if (exec_env == NULL)
		bail("env: calloc");
	for (uint32_t k = 0; k < s->nfields; k++)
		exec_env[k] = s->f[k].s;
}

/*
 * HOME for a spec environment without one, as runc sets it: the home field of
 * uid's line in the container's /etc/passwd, else "/". It runs after
 * pivot_root, so the file read is the container's own.
 */
static void do_default_home(struct step *s)
{
	size_t n = 0;
	for (; exec_env != NULL && exec_env[n] != NULL; n++)
		if (strncmp(exec_env[n], "HOME=", 5) == 0)
			return;
	const char *home = "/";
	char line[4096];
	char *found = NULL;
	FILE *f = fopen("/etc/passwd", "re");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		/* name:password:uid:gid:gecos:home:shell */
		char *fields[7] = { 0 };
		char *p = line;
		int k = 0;
		for (; k < 7 && p != NULL; k++)
			fields[k] = strsep(&p, ":");
		if (k == 7 && fields[2] != NULL && fields[5] != NULL &&
		    strtoll(fields[2], NULL, 10) == s->f[0].i && fields[2][0] != '\0') {
			found = fields[5];
			break;
		}
	}
	if (found != NULL && found[0] != '\0')
		home = found;
	char **env = calloc(n + 2, sizeof(char *));
	char *entry = malloc(strlen(home) + 6);
	if (env == NULL || entry == NULL)
		bail("default home: malloc");
	sprintf(entry, "HOME=%s", home);
	for (size_t k = 0; k < n; k++)
		env[k] = exec_env[k];
	env[n] = entry;
	exec_env = env;
	if (f != NULL)
		fclose(f);
}

/* Go's exec.LookPath, which runc uses: a regular file with an execute bit. */
static int check_executable(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

static void do_resolve_exec(struct step *s)
{
	const char *name = s->f[0].s;

	if (strchr(name, '/') != NULL) {
		if (check_executable(name) < 0)
			bail("exec: \"%s\"", name);
		exec_path = s->f[0].s;
		return;
	}

	const char *path = DEFAULT_PATH;
	for (char **e = exec_env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;

	for (const char *dir = path;; dir++) {
		const char *colon = strchrnul(dir, ':');
		int dirlen = (int)(colon - dir);
		char candidate[PATH_MAX];
		/* An empty PATH element means the current directory. */
		int n = dirlen == 0 ? snprintf(candidate, sizeof(candidate), "./%s", name)
				    : snprintf(candidate, sizeof(candidate), "%.*s/%s", dirlen, dir, name);
		if (n > 0 && n < (int)sizeof(candidate) && check_executable(candidate) == 0) {
			exec_path = strdup(candidate);
			if (exec_path == NULL)
				bail("resolve exec: strdup");
			return;
		}
		if (*colon == '\0')
			break;
		dir = colon;
	}
	fail(ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

static void do_wait_fifo(void)
{
	char path[64];

	/*
	 * Opening a fifo for writing blocks until someone opens it for
	 * reading: that is `start`. The path is gone after pivot_root, but
	 * /proc/self/fd/N reopens the O_PATH handle kept from before.
	 */
	fd_path(path, sizeof(path), fifo_fd);
	char name[16];
	snprintf(name, sizeof(name), "%d", fifo_fd);
	int fd;
	do
		fd = fd_dir >= 0 ? openat(fd_dir, name, O_WRONLY | O_CLOEXEC) : open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		bail("open %s", path);
	/* Kept until execve closes it: start reads the fifo up to EOF. */
	fifo_write_fd = fd;
	close(fifo_fd);
	fifo_fd = -1;
	if (fd_dir >= 0) {
		close(fd_dir);
		fd_dir = -1;
	}
}

static void do_start_signal(void)
{
	if (fifo_write_fd < 0)
		fail(EINVAL, "start signal: exec fifo is not open (no WAIT_FIFO before)");
	int fd = fifo_write_fd;
	/* A failure here is reported by start itself: it reads EOF without "0". */
	fifo_write_fd = -1;
	if (write_full(fd, "0", 1) < 0)
		bail("write exec fifo");
	/* A later ERROR (SECCOMP, EXEC) is appended after the "0". */
	fifo_write_fd = fd;
}

static void do_seccomp(struct step *s)
{
	const struct field *prog = &s->f[1];

	if (prog->len == 0 || prog->len % sizeof(struct sock_filter) != 0 ||
	    prog->len / sizeof(struct sock_filter) > USHRT_MAX)
		fail(EINVAL, "seccomp: program of %u bytes", prog->len);
	/* The program's bytes are copied into a malloc'd buffer: aligned for sock_filter. */
	struct sock_fprog fprog = {
		.len = (unsigned short)(prog->len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)(void *)prog->s,
	};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned int)s->f[0].i, &fprog) < 0)
		bail("seccomp");
}

static void __attribute__((noreturn)) do_exec(struct step *s)
{
	char **argv = calloc((size_t)s->nfields + 1, sizeof(char *));
	if (argv == NULL)
		bail("exec: calloc");
	for (uint32_t k = 0; k < s->nfields; k++)
		argv[k] = s->f[k].s;
	if (exec_path == NULL)
		fail(EINVAL, "exec %s: no RESOLVE_EXEC before EXEC", argv[0]);

	char *empty[] = { NULL };
	execve(exec_path, argv, exec_env ? exec_env : empty);
	die_exec(errno, "exec %s", exec_path);
}

/* ------------------------------------------------------------------ main */

static void run_step(struct step *s)
{
	switch (s->op) {
	case OP_FD_CLOEXEC_FROM: do_fd_cloexec_from(s); break;
	case OP_SETNS: do_setns(s); break;
	case OP_OOM_SCORE_ADJ: write_file("/proc/self/oom_score_adj", s->f[0].s, s->f[0].len); break;
	/*
	 * "0" into a cgroup v1 tasks file moves the writing thread, berth-init's only one: the kernel skips the
	 * global threadgroup lock for that (its write side waits an RCU grace period, 8-20 ms here, when Java
	 * wrote the pid into cgroup.procs), and the processes cloned next inherit the cgroup.
	 */
	case OP_CGROUP_JOIN: write_file(s->f[0].s, "0", 1); break;
	case OP_UNSHARE_TIME: do_unshare_time(s); break;
	case OP_CLONE: do_clone(s); break;
	case OP_SETSID:
		if (setsid() < 0)
			bail("setsid");
		break;
	case OP_HOSTNAME:
		if (sethostname(s->f[0].s, s->f[0].len) < 0)
			bail("sethostname");
		break;
	case OP_DOMAINNAME:
		if (setdomainname(s->f[0].s, s->f[0].len) < 0)
			bail("setdomainname");
		break;
	case OP_ROOTFS: do_rootfs(s); break;
	case OP_MOUNT: do_mount(s); break;
	case OP_MKNOD: do_mknod(s); break;
	case OP_BIND_DEVICE: do_bind_device(s); break;
	case OP_SYMLINK: do_symlink(s); break;
	case OP_EXEC_FIFO_OPEN: do_exec_fifo_open(s); break;
	case OP_HOOKS: do_hooks(); break;
	case OP_RUN_HOOK: do_run_hook(s); break;
	case OP_PIVOT: do_pivot(s); break;
	case OP_ROOTFS_DIR: do_rootfs_dir(s); break;
	case OP_CHROOT: do_chroot(); break;
	case OP_MASK: do_mask(s); break;
	case OP_READONLY: do_readonly(s); break;
	case OP_SYSCTL: do_sysctl(s); break;
	case OP_ROOT_PROPAGATION:
		if (mount(NULL, "/", NULL, (unsigned long)s->f[0].i, NULL) < 0)
			bail("mount propagation of /");
		break;
	case OP_ROOT_READONLY: do_root_readonly(); break;
	case OP_CONSOLE: do_console(s); break;
	case OP_RLIMIT: do_rlimit(s); break;
	case OP_PERSONALITY:
		if (personality((unsigned long)s->f[0].i) < 0)
			bail("personality %#llx", (unsigned long long)s->f[0].i);
		break;
	case OP_UMASK: umask((mode_t)s->f[0].i); break;
	case OP_IDENTITY: do_identity(s); break;
	case OP_CWD: do_cwd(s); break;
	case OP_NO_NEW_PRIVS:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			bail("prctl PR_SET_NO_NEW_PRIVS");
		break;
	case OP_ENV: do_env(s); break;
	case OP_DEFAULT_HOME: do_default_home(s); break;
	case OP_MKDIR: close(mkdir_in_root(s->f[0].s)); break;
	case OP_SESSION_KEYRING:
		/*
		 * A session keyring of its own, so that keys the container adds
		 * are not shared with the host's session (runc does the same).
		 * Kernels without keyrings answer ENOSYS: nothing to isolate.
		 */
		if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */,
			    s->f[0].s) < 0 && errno != ENOSYS)
			bail("join session keyring %s", s->f[0].s);
		break;
	case OP_RESOLVE_EXEC: do_resolve_exec(s); break;
	case OP_READY:
		if (send_msg(MSG_READY, NULL, 0) < 0)
			bail("send READY");
		break;
	case OP_WAIT_FIFO: do_wait_fifo(); break;
	case OP_START_SIGNAL: do_start_signal(); break;
	case OP_SECCOMP: do_seccomp(s); break;
	case OP_EXEC: do_exec(s);
	default: fail(EINVAL, "plan: unknown op %u", s->op);
	}
}

/*
 * A fresh process starts with no blocked signals and default dispositions.
 * Ours come from a JVM thread (which blocks SIGQUIT) and would otherwise be
 * inherited by the container process: the mask and SIG_IGN survive execve.
 */
static void reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
}

int main(void)
{
	const char *env = getenv("_BERTH_SYNC_FD");
	char *end;

	if (env == NULL || *env == '\0')
		fail(0, "_BERTH_SYNC_FD is not set");
	errno = 0;
	long fd = strtol(env, &end, 10);
	if (errno != 0 || *end != '\0' || fd < 0 || fd > INT_MAX)
		fail(EINVAL, "_BERTH_SYNC_FD=%s", env);
	/* Inherited without FD_CLOEXEC; it must vanish at the container's execve. */
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
		bail("_BERTH_SYNC_FD=%s", env);
	sync_fd = (int)fd;
	unsetenv("_BERTH_SYNC_FD");

	reset_signals();

	uint32_t type, len, count;
	char *plan = recv_msg(&type, &len, "read plan");
	if (type != MSG_PLAN)
		fail(EPROTO, "read plan: got message %u", type);
	struct step *steps = parse_plan((const unsigned char *)plan, len, &count);

	/* See the note at the top: all namespace files first, while /proc is the host's. */
	for (uint32_t r = 0; r < count; r++) {
		if (steps[r].op != OP_SETNS)
			continue;
		steps[r].nsfd = open(steps[r].f[1].s, O_RDONLY | O_CLOEXEC);
		if (steps[r].nsfd < 0)
			bail("open %s", steps[r].f[1].s);
	}

	for (uint32_t r = 0; r < count; r++)
		run_step(&steps[r]);
	return 0;
}
