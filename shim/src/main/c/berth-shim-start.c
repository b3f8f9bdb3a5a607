/*
 * berth-shim-start: the two verbs of containerd's shim v2 binary protocol that containerd waits for on every
 * container, done without starting a JVM for themselves. bin/berth-shim runs it as
 *
 *   berth-shim-start [shim flags] start  -- JAVA [JVM options] MAIN
 *   berth-shim-start [shim flags] delete -- JAVA [JVM options] MAIN
 *
 start (cwd = the bundle, runtime options on stdin):
 *
 *   containerd          berth-shim-start                         JAVA ... MAIN <flags> -bundle B -ready-fd 3 serve
 *   exec ─────────────▶ drain stdin; the namespace's server
 *                       serving? (below) else pipe; posix_spawn
 *                       (new session, cwd /; 0,1 /dev/null,
 *                       2 B/log, 3 pipe) ─────────────────────────▶ group; lock, bind + listen (or find the
 *                       read one line from the pipe ◀─────────────  group's server accepting), write its address
 *   read stdout ◀────── write B/address, print the address, exit 0  (or why not, which start prints as its error)
 *
 * The fast path: a shim server serves every task of its group, by default every task of the namespace
 * (ShimGroup.java decides). When the spec cannot name a group of its own (B/config.json does not contain either
 * annotation key of ShimGroup.ANNOTATIONS, a byte search, not a parse: a spec that might carry one goes to Java)
 * and BERTH_SHIM_GROUP is not "container", the task joins the namespace's server: under the claim lock start
 * connects to <dir of -address>/s/ns-<FNV-1a-64 of the namespace, 16 hex digits>, and if it accepts, touches the
 * socket file (so the server does not exit for its idle period: IdleExit.java) and prints its address. No JVM
 * starts. Otherwise, or when no server accepts, it spawns the serving JVM as above.
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
 * Spawns argv leading a new session in /, with in_out as 0 and 1, err as 2 and ready as 3, signal dispositions at
 * their defaults and no signal blocked. Returns the pid. The server outlives the bundle it was started in: its
 * working directory is /.
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
		e = posix_spawn_file_actions_addchdir_np(&fa, "/");
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

/* The lock that ShimSocket.java holds around a connect and a bind: a POSIX record lock on the whole file. */
#define CLAIM_LOCK "claim.lock"
/* Annotations that can put a task in a group of its own (ShimGroup.ANNOTATIONS). */
static const char *const group_annotations[] = { "io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id" };

/* FNV-1a, 64 bits (ShimGroup.fnv1a64). */
static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s != '\0'; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Whether ./config.json may name a group (a byte search for the annotation keys); yes if it cannot be read. */
static int may_name_group(void)
{
	int fd = open("config.json", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size > 16 * 1024 * 1024) {
		close(fd);
		return 1;
	}
	char *text = malloc((size_t)st.st_size + 1);
	if (text == NULL)
		die("malloc");
	size_t len = 0;
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, text + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	int found = len != (size_t)st.st_size || memchr(text, '\0', len) != NULL;
	for (size_t i = 0; !found && i < sizeof(group_annotations) / sizeof(group_annotations[0]); i++)
		found = strstr(text, group_annotations[i]) != NULL;
	free(text);
	return found;
}

/*
 * The fast path: the address of the namespace's shim server if it serves (see the top of this file), touched under
 * the claim lock; NULL to spawn the serving JVM.
 */
static char *namespace_server(int nflags, char **flags)
{
	const char *mode = getenv("BERTH_SHIM_GROUP");
	if (mode != NULL && strcmp(mode, "container") == 0)
		return NULL;
	const char *address = flag_value(nflags, flags, "address");
	const char *namespace = flag_value(nflags, flags, "namespace");
	if (address == NULL || address[0] != '/' || namespace == NULL || may_name_group())
		return NULL;
	int dir = (int)(strrchr(address, '/') - address);
	static char line[sizeof("unix://") + sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char lock[4096];
	int n = snprintf(addr.sun_path, sizeof(addr.sun_path), "%.*s/s/ns-%016llx", dir, address,
			 (unsigned long long)fnv1a64(namespace));
	int m = snprintf(lock, sizeof(lock), "%.*s/s/%s", dir, address, CLAIM_LOCK);
	if (n < 0 || (size_t)n >= sizeof(addr.sun_path) || m < 0 || (size_t)m >= sizeof(lock))
		return NULL; /* the JVM reports the path as too long */
	int lock_fd = open(lock, O_RDWR | O_CLOEXEC);
	if (lock_fd < 0)
		return NULL; /* no server has ever claimed a socket here */
	struct flock whole = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int r;
	while ((r = fcntl(lock_fd, F_SETLKW, &whole)) < 0 && errno == EINTR)
		;
	char *found = NULL;
	if (r == 0) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0
		    && utimensat(AT_FDCWD, addr.sun_path, NULL, 0) == 0) {
			snprintf(line, sizeof(line), "unix://%s", addr.sun_path);
			found = line;
		}
		if (fd >= 0)
			close(fd);
	}
	close(lock_fd); /* releases the lock */
	return found;
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

	char *address = namespace_server(nflags, flags);
	if (address == NULL)
		address = spawn_serve(nflags, flags, njvm, jvm, bundle, dev_null, log);
	if (strncmp(address, "unix://", 7) != 0)
		fail(address); /* the serving shim's reason */
	write_file("address", address);
	fputs(address, stdout);
	if (fflush(stdout) != 0)
		die("write stdout");
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
