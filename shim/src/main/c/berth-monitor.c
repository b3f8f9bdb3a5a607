/*
 * berth-monitor: the small per-container process of a berth-shim server (the role podman's conmon plays). The
 * server decides; the monitor executes and remembers:
 *
 *   - it spawns what the server asks for (berth-init for create and exec, or a runc binary), so the container's
 *     init and every exec'd process are its children, not the server's: it is the child subreaper of the
 *     container's descendants and reaps them;
 *   - it writes the init's exit (wait status and time) into the exit file, atomically (a temporary file renamed);
 *   - it tells the connected server of every exit, and a server that connects later (after the first one died)
 *     hears of every exit so far: the container keeps running and no exit status is lost while no server runs.
 *
 * It runs in a session of its own, so nothing that ends the server's session ends it, and it lives until the server
 * deletes the container (BYE) or it is killed.
 *
 *   berth-monitor SOCKET EXIT-FILE ID BUNDLE        fd 3: the first server's connection (optional)
 *
 * SOCKET is where it listens for servers that connect later; ID and BUNDLE are only echoed back in HELLO. Java
 * decides everything (what to run, with which fds and environment, which pid is the init): no policy and no JSON
 * here. Messages in both directions, on a unix stream socket: u32 type, u32 length, then length bytes of payload;
 * integers in host byte order (the server is on the same machine).
 *
 *   server → monitor
 *     1 SPAWN   u32 tag, u32 flags (1: the first fd attached is the executable: run /proc/self/fd/N), u32 nfds,
 *               u32 argc, u32 envc, nfds × u32 (the child's fd numbers), then NUL-terminated strings: path,
 *               argv..., env...; the fds attached with SCM_RIGHTS in that order (the executable's first)
 *     2 INIT    i32 pid: the container's init; its exit goes to EXIT-FILE (also if it was reaped already)
 *     3 BYE     the container is deleted: remove SOCKET and exit
 *   monitor → server
 *     10 SPAWNED  u32 tag, i32 pid, or -errno if fork or execve failed
 *     11 EXIT     i32 pid, i32 wait status, i64 seconds, i64 nanoseconds (CLOCK_REALTIME)
 *     12 HELLO    i32 init pid (0: none yet), then ID NUL BUNDLE NUL; sent first on every connection and
 *                 followed by an EXIT for every child reaped so far
 *
 * EXIT-FILE holds one line: "<wait status> <seconds> <nanoseconds>\n".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum {
	MSG_SPAWN = 1,
	MSG_INIT = 2,
	MSG_BYE = 3,
	MSG_SPAWNED = 10,
	MSG_EXIT = 11,
	MSG_HELLO = 12,
};

#define MAX_FDS 16
#define MAX_MESSAGE (1 << 20)

struct exit_record {
	int32_t pid;
	int32_t status;
	int64_t sec;
	int64_t nsec;
};

static const char *socket_path;
static const char *exit_file;
static const char *task_id;
static const char *bundle;
static int conn = -1;
static pid_t init_pid;
static struct exit_record *exits;
static size_t nexits, cap_exits;

static void warn(const char *what)
{
	fprintf(stderr, "berth-monitor %s: %s: %s\n", task_id != NULL ? task_id : "", what, strerror(errno));
}

static void die(const char *what)
{
	warn(what);
	exit(1);
}

static int write_all(int fd, const void *buf, size_t len)
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

static int read_all(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static void drop_connection(void)
{
	if (conn >= 0)
		close(conn);
	conn = -1;
}

/* Sends one message to the connected server, if any; a server that went away is dropped. */
static void send_message(uint32_t type, const void *payload, uint32_t len)
{
	if (conn < 0)
		return;
	uint32_t head[2] = { type, len };
	if (write_all(conn, head, sizeof(head)) < 0 || (len > 0 && write_all(conn, payload, len) < 0))
		drop_connection();
}

static void send_exit(const struct exit_record *e)
{
	send_message(MSG_EXIT, e, sizeof(*e));
}

/* The init's exit into EXIT-FILE: a temporary file beside it, renamed over it. */
static void write_exit_file(const struct exit_record *e)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", exit_file) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		warn("exit file");
		return;
	}
	char line[96];
	int len = snprintf(line, sizeof(line), "%d %lld %lld\n", e->status, (long long)e->sec, (long long)e->nsec);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		warn("open exit file");
		return;
	}
	int ok = write(fd, line, (size_t)len) == len;
	if (close(fd) < 0 || !ok || rename(tmp, exit_file) < 0)
		warn("write exit file");
}

static const struct exit_record *find_exit(pid_t pid)
{
	for (size_t i = 0; i < nexits; i++)
		if (exits[i].pid == pid)
			return &exits[i];
	return NULL;
}

static void reap(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0)
			return;
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		if (nexits == cap_exits) {
			cap_exits = cap_exits ? cap_exits * 2 : 16;
			exits = realloc(exits, cap_exits * sizeof(*exits));
			if (exits == NULL)
				die("realloc");
		}
		struct exit_record *e = &exits[nexits++];
		*e = (struct exit_record){ .pid = pid, .status = status, .sec = now.tv_sec, .nsec = now.tv_nsec };
		if (pid == init_pid)
			write_exit_file(e);
		send_exit(e);
	}
}

static void hello(void)
{
	size_t ilen = strlen(task_id) + 1, blen = strlen(bundle) + 1;
	size_t len = 4 + ilen + blen;
	char *payload = malloc(len);
	if (payload == NULL)
		die("malloc");
	int32_t pid = init_pid;
	memcpy(payload, &pid, 4);
	memcpy(payload + 4, task_id, ilen);
	memcpy(payload + 4 + ilen, bundle, blen);
	send_message(MSG_HELLO, payload, (uint32_t)len);
	free(payload);
	for (size_t i = 0; i < nexits && conn >= 0; i++)
		send_exit(&exits[i]);
}

/* The strings of a SPAWN payload, NUL-terminated one after another; NULL if there are fewer than n. */
static char **strings(char *p, char *end, size_t n)
{
	char **v = calloc(n + 1, sizeof(char *));
	if (v == NULL)
		die("calloc");
	for (size_t i = 0; i < n; i++) {
		char *nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL) {
			free(v);
			return NULL;
		}
		v[i] = p;
		p = nul + 1;
	}
	return v;
}

/*
 * The child of a SPAWN: the received fds onto the asked numbers (first moved above all of them, so that no dup2
 * overwrites one still to be moved), every other fd close-on-exec, signals as a new process expects them, then
 * execve. An execve failure goes to the parent over err_pipe.
 */
static void spawn_child(const char *path, char **argv, char **envp, const uint32_t *targets, const int *fds,
			int nfds, int err_pipe)
{
	sigset_t none;
	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	uint32_t max = 2;
	for (int i = 0; i < nfds; i++)
		if (targets[i] > max)
			max = targets[i];
	int high[MAX_FDS];
	for (int i = 0; i < nfds; i++) {
		high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, (int)max + 1);
		if (high[i] < 0)
			goto fail;
	}
	for (int i = 0; i < nfds; i++)
		if (dup2(high[i], (int)targets[i]) < 0)
			goto fail;
	syscall(__NR_close_range, max + 1, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(path, argv, envp);
fail:;
	int e = errno;
	ssize_t ignored = write(err_pipe, &e, sizeof(e));
	(void)ignored;
	_exit(127);
}

static void do_spawn(char *payload, uint32_t len, int *fds, int nrecv)
{
	uint32_t tag = 0;
	int32_t result = -EINVAL;
	char **argv = NULL, **envp = NULL;
	if (len < 20)
		goto answer;
	uint32_t h[5];
	memcpy(h, payload, sizeof(h));
	tag = h[0];
	uint32_t flags = h[1], nfds = h[2], argc = h[3], envc = h[4];
	int has_exe = flags & 1;
	if (nfds > MAX_FDS || (int)nfds + has_exe != nrecv || argc == 0 || argc > 65536 || envc > 65536
	    || 20 + 4 * (size_t)nfds > len)
		goto answer;
	uint32_t targets[MAX_FDS];
	memcpy(targets, payload + 20, 4 * nfds);
	char *p = payload + 20 + 4 * nfds, *end = payload + len;
	char **all = strings(p, end, 1 + argc + envc);
	if (all == NULL)
		goto answer;
	char exe[64];
	const char *path = all[0];
	if (has_exe) {
		snprintf(exe, sizeof(exe), "/proc/self/fd/%d", fds[0]);
		path = exe;
	}
	argv = calloc(argc + 1, sizeof(char *));
	envp = calloc(envc + 1, sizeof(char *));
	if (argv == NULL || envp == NULL)
		die("calloc");
	memcpy(argv, all + 1, argc * sizeof(char *));
	memcpy(envp, all + 1 + argc, envc * sizeof(char *));
	free(all);
	int err_pipe[2];
	if (pipe2(err_pipe, O_CLOEXEC) < 0) {
		result = -errno;
		goto answer;
	}
	pid_t pid = fork();
	if (pid == 0)
		spawn_child(path, argv, envp, targets, fds + has_exe, (int)nfds, err_pipe[1]);
	close(err_pipe[1]);
	if (pid < 0) {
		result = -errno;
	} else {
		int e;
		ssize_t n;
		do
			n = read(err_pipe[0], &e, sizeof(e));
		while (n < 0 && errno == EINTR);
		/* EOF: execve succeeded; an errno: it failed, and the child's exit 127 is reaped as usual */
		result = n == sizeof(e) ? -e : pid;
	}
	close(err_pipe[0]);
answer:
	for (int i = 0; i < nrecv; i++)
		close(fds[i]);
	free(argv);
	free(envp);
	int32_t answer[2] = { (int32_t)tag, result };
	send_message(MSG_SPAWNED, answer, sizeof(answer));
}

/* Reads and handles one message from the server; a broken or malformed connection is dropped. */
static void handle_message(void)
{
	uint32_t head[2];
	union {
		char buf[CMSG_SPACE(sizeof(int) * (MAX_FDS + 1))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = head, .iov_len = sizeof(head) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	ssize_t n;
	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	while (n < 0 && errno == EINTR);
	int fds[MAX_FDS + 1];
	int nrecv = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < k; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (nrecv < MAX_FDS + 1)
					fds[nrecv++] = fd;
				else
					close(fd);
			}
		}
	}
	char *payload = NULL;
	if (n != sizeof(head) || head[1] > MAX_MESSAGE)
		goto broken;
	payload = malloc(head[1] + 1);
	if (payload == NULL)
		die("malloc");
	if (head[1] > 0 && read_all(conn, payload, head[1]) < 0)
		goto broken;
	switch (head[0]) {
	case MSG_SPAWN:
		do_spawn(payload, head[1], fds, nrecv);
		nrecv = 0;
		break;
	case MSG_INIT:
		if (head[1] != 4)
			goto broken;
		int32_t pid;
		memcpy(&pid, payload, 4);
		init_pid = pid;
		const struct exit_record *e = find_exit(pid);
		if (e != NULL)
			write_exit_file(e);
		break;
	case MSG_BYE:
		unlink(socket_path);
		exit(0);
	default:
		goto broken;
	}
	free(payload);
	return;
broken:
	for (int i = 0; i < nrecv; i++)
		close(fds[i]);
	free(payload);
	drop_connection();
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0600) < 0 || listen(fd, 4) < 0)
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: berth-monitor SOCKET EXIT-FILE ID BUNDLE (fd 3: the server's connection)\n");
		return 2;
	}
	socket_path = argv[1];
	exit_file = argv[2];
	task_id = argv[3];
	bundle = argv[4];
	/*
	 * Nothing of the server's but 0-3: a JVM opens many fds without close-on-exec (its listening socket, other
	 * containers' FIFOs), which would keep the server's address connectable after it died and other containers'
	 * output open for as long as this monitor runs.
	 */
	syscall(__NR_close_range, 4U, ~0U, 0U);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("prctl PR_SET_CHILD_SUBREAPER");
	if (setsid() < 0 && errno != EPERM)
		die("setsid");
	if (chdir("/") < 0)
		die("chdir /");
	signal(SIGPIPE, SIG_IGN);
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0)
		die("signalfd");
	int type;
	socklen_t tlen = sizeof(type);
	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0) {
		conn = fcntl(3, F_DUPFD_CLOEXEC, 10);
		close(3);
	}
	int lfd = listen_on(socket_path);
	hello();
	for (;;) {
		struct pollfd p[3] = { { .fd = sigfd, .events = POLLIN }, { .fd = lfd, .events = POLLIN },
				       { .fd = conn, .events = POLLIN } };
		int r = poll(p, conn >= 0 ? 3 : 2, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll");
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof(si)) > 0)
				;
			reap();
		}
		if (conn >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (p[2].revents & POLLIN)
				handle_message();
			else
				drop_connection();
		}
		if (p[1].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0) {
				drop_connection(); /* the new server replaces the old one */
				conn = fd;
				hello();
			}
		}
	}
}
