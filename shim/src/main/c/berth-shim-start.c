/*
 * berth-shim-start: the two verbs of containerd's shim v2 binary protocol that containerd waits for on every
 * container, done without starting a JVM for themselves. bin/berth-shim runs it as
 *
 *   berth-shim-start [shim flags] start  -- JAVA [JVM options] MAIN
 *   berth-shim-start [shim flags] delete -- JAVA [JVM options] MAIN
 *
 * start (cwd = the bundle, runtime options on stdin):
 *
 *   containerd          berth-shim-start                         JAVA ... MAIN <flags> -bundle B -ready-fd 3 serve
 *   exec ─────────────▶ drain stdin; pipe; posix_spawn (new
 *                       session; 0,1 /dev/null, 2 B/log, 3 pipe) ─▶ group? lock, bind + listen (or find the
 *                       read one line from the pipe ◀─────────────  group's shim accepting), write its address
 *   read stdout ◀────── write B/address, print the address, exit 0  (or why not, which start prints as its error)
 *
 * With BERTH_SHIM_SPARE=1 in containerd's environment, start first offers the task to a warm spare serving JVM (see
 * struct spare below), and after answering spawns the next spare.
 *
 * delete (-bundle B): if the serving shim left B/berth-deleted (it deleted the container through its runtime and
 * unmounted the rootfs), there is nothing to clean up: print DeleteResponse{exit_status: 137, exited_at: now}.
 * Otherwise exec "JAVA ... MAIN <flags> delete", which cleans up after a shim that died.
 *
 * Java decides, C executes: the group, the socket, what delete must undo are all decided in Java; this program
 * starts the JVM, carries one line back and writes bytes. Every failure is printed as "berth-shim <verb>: <what>"
 * on stderr (containerd reports start's combined output) and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How long start waits for the serving shim to say where it serves. */
#define READY_TIMEOUT_MS 30000
/* Written by the serving shim once it has deleted the container and unmounted its rootfs (Container.java). */
#define DELETED_MARKER "berth-deleted"
/* The serving shim's end of the ready pipe (ShimFlags -ready-fd). */
#define READY_FD 3
/* The shell's status for a process killed by SIGKILL: what delete reports for a container whose shim died. */
#define SIGKILL_STATUS 137

static const char *verb = "start";

static void die(const char *what)
{
	fprintf(stderr, "berth-shim %s: %s: %s\n", verb, what, strerror(errno));
	exit(1);
}

static void fail(const char *what)
{
	fprintf(stderr, "berth-shim %s: %s\n", verb, what);
	exit(1);
}

/* The value of a Go-style flag (-name v, --name v, -name=v) among the shim flags, or NULL. */
static const char *flag_value(int nflags, char **flags, const char *name)
{
	const char *value = NULL;
	size_t len = strlen(name);
	for (int i = 0; i < nflags; i++) {
		const char *f = flags[i];
		if (f[0] != '-')
			continue;
		f += f[1] == '-' ? 2 : 1;
		if (strncmp(f, name, len) != 0)
			continue;
		if (f[len] == '=')
			value = f + len + 1;
		else if (f[len] == '\0' && i + 1 < nflags)
			value = flags[++i];
	}
	return value;
}

/* A close-on-exec copy of fd numbered 10 or above, so that it cannot be one of the child's 0-3. */
static int high_fd(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (high < 0)
		die("fcntl F_DUPFD_CLOEXEC");
	close(fd);
	return high;
}

/*
 * The bundle's log FIFO, opened for writing without blocking when containerd has not opened it for reading yet:
 * an O_RDWR open never blocks, and an O_WRONLY open while that one is held does not either. /dev/null without
 * a FIFO.
 */
static int open_log(int dev_null)
{
	int both = open("log", O_RDWR | O_CLOEXEC);
	if (both < 0)
		return dev_null;
	int fd = open("log", O_WRONLY | O_CLOEXEC);
	close(both);
	return fd < 0 ? dev_null : fd;
}

/* argv for the JVM: JAVA [JVM options] MAIN, the shim flags, then extra, then the action. */
static char **jvm_argv(int njvm, char **jvm, int nflags, char **flags, int nextra, char **extra, char *action)
{
	char **argv = calloc((size_t)(njvm + nflags + nextra + 2), sizeof(char *));
	if (argv == NULL)
		die("calloc");
	int n = 0;
	for (int i = 0; i < njvm; i++)
		argv[n++] = jvm[i];
	for (int i = 0; i < nflags; i++)
		argv[n++] = flags[i];
	for (int i = 0; i < nextra; i++)
		argv[n++] = extra[i];
	argv[n++] = action;
	return argv;
}

/*
 * Reads the line the serving shim writes to the ready pipe, without its newline; NULL if the pipe closed or the
 * time ran out first.
 */
static char *read_ready_line(int fd)
{
	static char line[4096];
	size_t len = 0;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= READY_TIMEOUT_MS)
			return NULL;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(READY_TIMEOUT_MS - elapsed));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll ready pipe");
		if (r == 0)
			return NULL;
		ssize_t n = read(fd, line + len, sizeof(line) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read ready pipe");
		if (n == 0)
			return NULL;
		len += (size_t)n;
		line[len] = '\0';
		char *newline = strchr(line, '\n');
		if (newline != NULL) {
			*newline = '\0';
			return line;
		}
		if (len == sizeof(line) - 1)
			fail("ready line too long");
	}
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open address");
	size_t len = strlen(text);
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write address");
		done += (size_t)n;
	}
	if (close(fd) < 0)
		die("close address");
}

/*
 * Spawns argv leading a new session, with in_out as 0 and 1, err as 2 and ready as 3, signal dispositions at their
 * defaults and no signal blocked. Returns the pid.
 */
static pid_t spawn_jvm(char **argv, int in_out, int err, int ready)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	int e = posix_spawn_file_actions_init(&fa);
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, in_out, 0);
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, in_out, 1);
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, err, 2);
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, ready, READY_FD);
	if (e == 0)
		e = posix_spawnattr_init(&attr);
	if (e == 0)
		e = posix_spawnattr_setsigdefault(&attr, &all);
	if (e == 0)
		e = posix_spawnattr_setsigmask(&attr, &none);
	if (e == 0)
		e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	if (e != 0) {
		errno = e;
		die("posix_spawn attributes");
	}
	pid_t pid;
	e = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	if (e != 0) {
		errno = e;
		die(argv[0]);
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return pid;
}

/*
 * The warm spare (BERTH_SHIM_SPARE=1 in containerd's environment): a serving JVM started ahead of its task, one per
 * containerd instance. It holds <dir of -address>/s/spare.lock and listens on <dir>/s/spare while it waits. start
 * hands it the task instead of starting a JVM, then spawns the next spare. On the connection:
 *
 *   start ──▶ u32 length (host byte order), then NUL-terminated strings: "TTRPC_ADDRESS=<value>", the shim flags,
 *             "-bundle", the bundle
 *   start ──▶ one byte carrying the bundle's log fd (SCM_RIGHTS), which becomes the shim's stderr
 *   start ◀── the line the serving shim writes, as on the ready pipe; then the connection closes
 *
 * A spare that is not there, or closes the connection without a line, leaves start to spawn a JVM as without one.
 */
struct spare {
	char *address; /* containerd's socket (-address) */
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char lock[4096];
};

/* Fills in the spare's paths; 0 if spares are not asked for or -address is not an absolute path. */
static int spare_paths(struct spare *sp, int nflags, char **flags)
{
	const char *on = getenv("BERTH_SHIM_SPARE");
	if (on == NULL || on[0] == '\0' || strcmp(on, "0") == 0)
		return 0;
	const char *address = flag_value(nflags, flags, "address");
	if (address == NULL || address[0] != '/')
		return 0;
	const char *slash = strrchr(address, '/');
	int dir = (int)(slash - address);
	int n = snprintf(sp->socket, sizeof(sp->socket), "%.*s/s/spare", dir, address);
	int m = snprintf(sp->lock, sizeof(sp->lock), "%.*s/s/spare.lock", dir, address);
	if (n < 0 || (size_t)n >= sizeof(sp->socket) || m < 0 || (size_t)m >= sizeof(sp->lock))
		return 0;
	sp->address = (char *)address;
	return 1;
}

static int send_all(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Hands the task to a waiting spare; the line it answers, or NULL if there was none to take it. */
static char *adopt_spare(struct spare *sp, int nflags, char **flags, char *bundle, int log)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	strcpy(addr.sun_path, sp->socket);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return NULL;
	}
	const char *ttrpc = getenv("TTRPC_ADDRESS");
	char env[4096];
	snprintf(env, sizeof(env), "TTRPC_ADDRESS=%s", ttrpc != NULL ? ttrpc : "");
	size_t len = strlen(env) + 1 + strlen("-bundle") + 1 + strlen(bundle) + 1;
	for (int i = 0; i < nflags; i++)
		len += strlen(flags[i]) + 1;
	char *request = malloc(4 + len);
	if (request == NULL)
		die("malloc");
	uint32_t len32 = (uint32_t)len;
	memcpy(request, &len32, 4);
	char *p = request + 4;
	p = stpcpy(p, env) + 1;
	for (int i = 0; i < nflags; i++)
		p = stpcpy(p, flags[i]) + 1;
	p = stpcpy(p, "-bundle") + 1;
	stpcpy(p, bundle);

	char one = 'L';
	struct iovec iov = { .iov_base = &one, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &log, sizeof(int));
	ssize_t sent;
	char *line = NULL;
	if (send_all(fd, request, 4 + len) == 0) {
		do
			sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
		while (sent < 0 && errno == EINTR);
		if (sent == 1)
			line = read_ready_line(fd);
	}
	free(request);
	close(fd);
	return line;
}

/*
 * Starts a spare: a new session, /dev/null for 0-2, cwd /, and nice 19, so that its start-up and warm-up take only
 * CPU time nothing else wants (it takes nice 0 back for every thread when a start adopts it). fork is safe here:
 * this program has one thread.
 */
static void spawn_spare(char **argv, int dev_null)
{
	if (fork() != 0)
		return; /* this process, or fork failed: no spare this time */
	if (setsid() < 0 || dup2(dev_null, 0) < 0 || dup2(dev_null, 1) < 0 || dup2(dev_null, 2) < 0 || chdir("/") < 0
	    || setpriority(PRIO_PROCESS, 0, 19) < 0)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

/*
 * Spawns the next spare unless one holds the lock (a POSIX record lock, as Java's FileChannel takes it). Two starts
 * may both spawn one: the second finds the lock taken and exits.
 */
static void ensure_spare(struct spare *sp, int njvm, char **jvm, int dev_null)
{
	int fd = open(sp->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return; /* no spare then: the next start spawns a JVM itself */
	struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int held = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
	close(fd);
	if (held)
		return;
	char *flags[] = { "-address", sp->address };
	spawn_spare(jvm_argv(njvm, jvm, 2, flags, 0, NULL, "spare"), dev_null);
}

/* Spawns the serving shim with the ready pipe on fd 3 and returns the line it writes there. */
static char *spawn_serve(int nflags, char **flags, int njvm, char **jvm, char *bundle, int dev_null, int log)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		die("pipe2");
	ready[0] = high_fd(ready[0]);
	ready[1] = high_fd(ready[1]);
	char ready_fd[16];
	snprintf(ready_fd, sizeof(ready_fd), "%d", READY_FD);
	char *extra[] = { "-bundle", bundle, "-ready-fd", ready_fd };
	pid_t pid = spawn_jvm(jvm_argv(njvm, jvm, nflags, flags, 4, extra, "serve"), dev_null, log, ready[1]);
	close(ready[1]);

	char *line = read_ready_line(ready[0]);
	close(ready[0]);
	if (line == NULL) {
		int status;
		char what[128];
		if (waitpid(pid, &status, WNOHANG) == pid)
			snprintf(what, sizeof(what), "shim exited with status %d before serving",
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		else
			snprintf(what, sizeof(what), "shim not serving after %ds", READY_TIMEOUT_MS / 1000);
		fail(what);
	}
	return line;
}

static int start(int nflags, char **flags, int njvm, char **jvm)
{
	/* the runtime options; Create carries them again */
	char buf[4096];
	while (read(0, buf, sizeof(buf)) > 0)
		;
	char *bundle = getcwd(NULL, 0);
	if (bundle == NULL)
		die("getcwd");

	int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (dev_null < 0)
		die("open /dev/null");
	dev_null = high_fd(dev_null);
	int log = open_log(dev_null);
	if (log != dev_null)
		log = high_fd(log);

	struct spare spare;
	int use_spare = spare_paths(&spare, nflags, flags);
	char *address = use_spare ? adopt_spare(&spare, nflags, flags, bundle, log) : NULL;
	if (address == NULL)
		address = spawn_serve(nflags, flags, njvm, jvm, bundle, dev_null, log);
	if (strncmp(address, "unix://", 7) != 0)
		fail(address); /* the serving shim's reason */
	write_file("address", address);
	fputs(address, stdout);
	if (fflush(stdout) != 0)
		die("write stdout");
	if (use_spare)
		ensure_spare(&spare, njvm, jvm, dev_null);
	return 0;
}

static size_t put_varint(uint8_t *out, uint64_t v)
{
	size_t n = 0;
	do {
		out[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			out[n] |= 0x80;
		n++;
	} while (v != 0);
	return n;
}

/* containerd.task.v2.DeleteResponse{exit_status = 2; exited_at = 3 (google.protobuf.Timestamp)} in protobuf. */
static void print_delete_response(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint8_t ts[24], out[48];
	size_t nts = 0, n = 0;
	ts[nts++] = 0x08; /* seconds, varint */
	nts += put_varint(ts + nts, (uint64_t)now.tv_sec);
	if (now.tv_nsec != 0) {
		ts[nts++] = 0x10; /* nanos, varint */
		nts += put_varint(ts + nts, (uint64_t)now.tv_nsec);
	}
	out[n++] = 0x10; /* exit_status, varint */
	n += put_varint(out + n, SIGKILL_STATUS);
	out[n++] = 0x1a; /* exited_at, length-delimited */
	n += put_varint(out + n, nts);
	memcpy(out + n, ts, nts);
	n += nts;
	if (fwrite(out, 1, n, stdout) != n || fflush(stdout) != 0)
		die("write stdout");
}

static int delete(int nflags, char **flags, int njvm, char **jvm)
{
	const char *bundle = flag_value(nflags, flags, "bundle");
	char marker[4096];
	int len = snprintf(marker, sizeof(marker), "%s/%s", bundle != NULL ? bundle : ".", DELETED_MARKER);
	if (len < 0 || (size_t)len >= sizeof(marker))
		fail("bundle path too long");
	struct stat st;
	if (stat(marker, &st) == 0) {
		print_delete_response();
		return 0;
	}
	char **argv = jvm_argv(njvm, jvm, nflags, flags, 0, NULL, "delete");
	execv(argv[0], argv);
	die(argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	int sep = 1;
	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep < 2 || sep + 1 >= argc) {
		fprintf(stderr, "usage: berth-shim-start [shim flags] start|delete -- JAVA [JVM options] MAIN\n");
		return 2;
	}
	char *action = argv[sep - 1];
	int nflags = sep - 2;
	char **flags = argv + 1;
	int njvm = argc - sep - 1;
	char **jvm = argv + sep + 1;
	if (strcmp(action, "start") == 0)
		return start(nflags, flags, njvm, jvm);
	if (strcmp(action, "delete") == 0) {
		verb = "delete";
		return delete(nflags, flags, njvm, jvm);
	}
	fprintf(stderr, "berth-shim-start: unknown action \"%s\" (want start or delete)\n", action);
	return 2;
}
