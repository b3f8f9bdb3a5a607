/*
 * berth-syscall: the JNI side of dev.berth.sys.LinuxSyscalls.
 *
 * Why JNI and not FFM: the first FFM downcall in a JVM costs about 19 ms on this machine kind even with an AOT
 * cache (the JDK generates its call stub at run time and the cache cannot keep it), against about 0.24 ms to load
 * this library and make the same call. berth-runtime's CLI pays that on every launch.
 *
 * Each function does one thing, retries on EINTR where that is safe, and returns a non-negative result or
 * -errno. Java turns -errno into a SyscallException naming the operation and the object. No policy here.
 */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define FN(name) Java_dev_berth_sys_LinuxSyscalls_##name

static jlong result(long r)
{
	return r < 0 ? -(jlong)errno : (jlong)r;
}

/* A Java string as a C string (modified UTF-8 is UTF-8 for paths and arguments without NULs). */
static char *cstring(JNIEnv *env, jstring s)
{
	const char *utf = (*env)->GetStringUTFChars(env, s, NULL);
	if (utf == NULL)
		return NULL;
	char *copy = strdup(utf);
	(*env)->ReleaseStringUTFChars(env, s, utf);
	return copy;
}

/* A NULL-terminated array of C strings; NULL with errno ENOMEM on failure. */
static char **cstrings(JNIEnv *env, jobjectArray array)
{
	jsize n = (*env)->GetArrayLength(env, array);
	char **out = calloc((size_t)n + 1, sizeof(char *));
	if (out == NULL)
		return NULL;
	for (jsize i = 0; i < n; i++) {
		jstring s = (jstring)(*env)->GetObjectArrayElement(env, array, i);
		out[i] = s == NULL ? NULL : cstring(env, s);
		(*env)->DeleteLocalRef(env, s);
		if (out[i] == NULL) {
			errno = ENOMEM;
			return NULL;
		}
	}
	return out;
}

static void free_strings(char **strings)
{
	for (char **p = strings; p != NULL && *p != NULL; p++)
		free(*p);
	free(strings);
}

JNIEXPORT jlong JNICALL FN(socketpair0)(JNIEnv *env, jclass cls, jintArray out)
{
	(void)cls;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -(jlong)errno;
	(*env)->SetIntArrayRegion(env, out, 0, 2, sv);
	return 0;
}

JNIEXPORT jlong JNICALL FN(read0)(JNIEnv *env, jclass cls, jint fd, jbyteArray buf, jint off, jint len)
{
	(void)cls;
	char stack[8192];
	char *tmp = len <= (jint)sizeof(stack) ? stack : malloc((size_t)len);
	if (tmp == NULL)
		return -(jlong)ENOMEM;
	ssize_t n;
	do
		n = read(fd, tmp, (size_t)len);
	while (n < 0 && errno == EINTR);
	jlong r = result(n);
	if (n > 0)
		(*env)->SetByteArrayRegion(env, buf, off, (jsize)n, (jbyte *)tmp);
	if (tmp != stack)
		free(tmp);
	return r;
}

JNIEXPORT jlong JNICALL FN(writeFully0)(JNIEnv *env, jclass cls, jint fd, jbyteArray buf)
{
	(void)cls;
	jsize len = (*env)->GetArrayLength(env, buf);
	jbyte *data = (*env)->GetByteArrayElements(env, buf, NULL);
	if (data == NULL)
		return -(jlong)ENOMEM;
	jlong r = 0;
	for (jsize done = 0; done < len;) {
		ssize_t n = write(fd, data + done, (size_t)(len - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -(jlong)errno;
			break;
		}
		done += (jsize)n;
	}
	(*env)->ReleaseByteArrayElements(env, buf, data, JNI_ABORT);
	return r;
}

JNIEXPORT jlong JNICALL FN(dup20)(JNIEnv *env, jclass cls, jint oldfd, jint newfd)
{
	(void)env;
	(void)cls;
	int r;
	do
		r = dup2(oldfd, newfd);
	while (r < 0 && (errno == EINTR || errno == EBUSY));
	return result(r);
}

JNIEXPORT jlong JNICALL FN(close0)(JNIEnv *env, jclass cls, jint fd)
{
	(void)env;
	(void)cls;
	/* never retried: on Linux the fd is released even when close reports EINTR */
	if (close(fd) < 0 && errno != EINTR)
		return -(jlong)errno;
	return 0;
}

/*
 * posix_spawn with the file actions given as pairs (target fd <- source fd), signal dispositions reset to
 * default and an empty signal mask: glibc's posix_spawn uses clone(CLONE_VM|CLONE_VFORK), safe in a
 * multithreaded JVM, where fork() is not.
 */
JNIEXPORT jlong JNICALL FN(spawn0)(JNIEnv *env, jclass cls, jstring jpath, jobjectArray jargv,
				   jobjectArray jenv, jintArray jtargets, jintArray jsources)
{
	(void)cls;
	jlong r = -(jlong)ENOMEM;
	char *path = cstring(env, jpath);
	char **argv = cstrings(env, jargv);
	char **envp = cstrings(env, jenv);
	jsize nfds = (*env)->GetArrayLength(env, jtargets);
	jint *targets = (*env)->GetIntArrayElements(env, jtargets, NULL);
	jint *sources = (*env)->GetIntArrayElements(env, jsources, NULL);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int have_fa = 0, have_attr = 0;
	if (path == NULL || argv == NULL || envp == NULL || targets == NULL || sources == NULL)
		goto out;
	int e = posix_spawn_file_actions_init(&fa);
	if (e != 0) {
		r = -e;
		goto out;
	}
	have_fa = 1;
	e = posix_spawnattr_init(&attr);
	if (e != 0) {
		r = -e;
		goto out;
	}
	have_attr = 1;
	for (jsize i = 0; i < nfds; i++) {
		e = posix_spawn_file_actions_adddup2(&fa, sources[i], targets[i]);
		if (e != 0) {
			r = -e;
			goto out;
		}
	}
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	if (e != 0) {
		r = -e;
		goto out;
	}
	pid_t pid;
	e = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	r = e != 0 ? -(jlong)e : (jlong)pid;
out:
	if (have_fa)
		posix_spawn_file_actions_destroy(&fa);
	if (have_attr)
		posix_spawnattr_destroy(&attr);
	if (targets != NULL)
		(*env)->ReleaseIntArrayElements(env, jtargets, targets, JNI_ABORT);
	if (sources != NULL)
		(*env)->ReleaseIntArrayElements(env, jsources, sources, JNI_ABORT);
	free_strings(argv);
	free_strings(envp);
	free(path);
	return r;
}

/* waitpid: (pid << 32) | raw status, 0 for WNOHANG and no change, or -errno. */
JNIEXPORT jlong JNICALL FN(waitpid0)(JNIEnv *env, jclass cls, jint pid, jboolean nohang)
{
	(void)env;
	(void)cls;
	int status = 0;
	pid_t r;
	do
		r = waitpid(pid, &status, nohang ? WNOHANG : 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -(jlong)errno;
	return ((jlong)r << 32) | (jlong)(uint32_t)status;
}

JNIEXPORT jlong JNICALL FN(kill0)(JNIEnv *env, jclass cls, jint pid, jint sig)
{
	(void)env;
	(void)cls;
	return result(kill(pid, sig));
}

/* An anonymous, sealed copy of contents: nothing on disk can be reached through /proc/PID/exe. */
JNIEXPORT jlong JNICALL FN(sealedCopy0)(JNIEnv *env, jclass cls, jstring jname, jbyteArray contents)
{
	(void)cls;
	char *name = cstring(env, jname);
	if (name == NULL)
		return -(jlong)ENOMEM;
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	free(name);
	if (fd < 0)
		return -(jlong)errno;
	jlong r = FN(writeFully0)(env, cls, fd, contents);
	if (r == 0 && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		r = -(jlong)errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

JNIEXPORT jlong JNICALL FN(mkfifo0)(JNIEnv *env, jclass cls, jstring jpath, jint mode)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(mkfifo(path, (mode_t)mode));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(setChildSubreaper0)(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return result(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

JNIEXPORT jlong JNICALL FN(setpriority0)(JNIEnv *env, jclass cls, jint which, jint who, jint prio)
{
	(void)env;
	(void)cls;
	return result(setpriority(which, (id_t)who, prio));
}

JNIEXPORT jlong JNICALL FN(getpid0)(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return getpid();
}

/* A close-on-exec unix stream socket and the address of jpath in addr; -errno if either fails. */
static int unix_socket(JNIEnv *env, jstring jpath, struct sockaddr_un *addr)
{
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -ENOMEM;
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr->sun_path)) {
		free(path);
		return -ENAMETOOLONG;
	}
	strcpy(addr->sun_path, path);
	free(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

JNIEXPORT jlong JNICALL FN(connectUnix0)(JNIEnv *env, jclass cls, jstring jpath)
{
	(void)cls;
	struct sockaddr_un addr;
	int fd = unix_socket(env, jpath, &addr);
	if (fd < 0)
		return fd;
	int r;
	do
		r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;
		close(fd);
		return -(jlong)e;
	}
	return fd;
}

/* A close-on-exec unix stream socket bound to a path (which must not exist) and listening, backlog 1. */
JNIEXPORT jlong JNICALL FN(listenUnix0)(JNIEnv *env, jclass cls, jstring jpath)
{
	(void)cls;
	struct sockaddr_un addr;
	int fd = unix_socket(env, jpath, &addr);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
		int e = errno;
		close(fd);
		return -(jlong)e;
	}
	return fd;
}

/* Accepts one connection (close-on-exec) within timeout_ms; -ETIMEDOUT if none came. */
JNIEXPORT jlong JNICALL FN(acceptUnix0)(JNIEnv *env, jclass cls, jint sock, jint timeout_ms)
{
	(void)env;
	(void)cls;
	struct pollfd p = { .fd = sock, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -(jlong)errno;
	if (r == 0)
		return -(jlong)ETIMEDOUT;
	int fd;
	do
		fd = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return result(fd);
}

/* One fd sent with SCM_RIGHTS; -EBADMSG if the message carried none. */
JNIEXPORT jlong JNICALL FN(receiveFd0)(JNIEnv *env, jclass cls, jint sock)
{
	(void)env;
	(void)cls;
	char data[4096];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -(jlong)errno;
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
		return -(jlong)EBADMSG;
	int fd;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
	return fd;
}

/* data in one sendmsg with fds attached (SCM_RIGHTS); the rest of data, if the first send was short, without. */
JNIEXPORT jlong JNICALL FN(sendFds0)(JNIEnv *env, jclass cls, jint sock, jbyteArray data, jintArray fds)
{
	(void)cls;
	jsize len = (*env)->GetArrayLength(env, data);
	jsize nfds = (*env)->GetArrayLength(env, fds);
	if (len <= 0 || len > 65536 || nfds < 0 || nfds > 16)
		return -(jlong)EINVAL;
	char *buf = malloc((size_t)len);
	if (buf == NULL)
		return -(jlong)ENOMEM;
	(*env)->GetByteArrayRegion(env, data, 0, len, (jbyte *)buf);
	int fdv[16];
	(*env)->GetIntArrayRegion(env, fds, 0, nfds, fdv);
	union {
		char buf[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = { .iov_base = buf, .iov_len = (size_t)len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cmsg), fdv, sizeof(int) * (size_t)nfds);
	}
	size_t done = 0;
	while (done < (size_t)len) {
		ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			return -(jlong)e;
		}
		done += (size_t)n;
		iov.iov_base = buf + done;
		iov.iov_len = (size_t)len - done;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
	}
	free(buf);
	return 0;
}

JNIEXPORT jlong JNICALL FN(setWindowSize0)(JNIEnv *env, jclass cls, jint fd, jint rows, jint cols)
{
	(void)env;
	(void)cls;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	return result(ioctl(fd, TIOCSWINSZ, &ws));
}

JNIEXPORT jlong JNICALL FN(pipe0)(JNIEnv *env, jclass cls, jintArray out)
{
	(void)cls;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -(jlong)errno;
	(*env)->SetIntArrayRegion(env, out, 0, 2, fds);
	return 0;
}

/* open(2), always close-on-exec */
JNIEXPORT jlong JNICALL FN(open0)(JNIEnv *env, jclass cls, jstring jpath, jint flags, jint mode)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	int fd;
	do
		fd = open(path, flags | O_CLOEXEC, (mode_t)mode);
	while (fd < 0 && errno == EINTR);
	jlong r = result(fd);
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(mount0)(JNIEnv *env, jclass cls, jstring jsource, jstring jtarget, jstring jtype,
				   jlong flags, jstring jdata)
{
	(void)cls;
	char *source = cstring(env, jsource), *target = cstring(env, jtarget);
	char *type = cstring(env, jtype), *data = cstring(env, jdata);
	jlong r = -(jlong)ENOMEM;
	if (source != NULL && target != NULL && type != NULL && data != NULL)
		r = result(mount(source, target, type[0] ? type : NULL, (unsigned long)flags, data[0] ? data : NULL));
	free(source);
	free(target);
	free(type);
	free(data);
	return r;
}

JNIEXPORT jlong JNICALL FN(unmount0)(JNIEnv *env, jclass cls, jstring jtarget, jint flags)
{
	(void)cls;
	char *target = cstring(env, jtarget);
	if (target == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(umount2(target, flags));
	free(target);
	return r;
}

/*
 * File metadata for the manager's layer apply and snapshot copy: what java.nio cannot do (device nodes, xattrs
 * outside "user.", set-id mode bits) or does with several calls. None of these follow a final symlink except
 * chmod0, which the caller only uses on non-links (Linux has no lchmod).
 */
JNIEXPORT jlong JNICALL FN(mknod0)(JNIEnv *env, jclass cls, jstring jpath, jint mode, jlong major, jlong minor)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(mknod(path, (mode_t)mode, makedev((unsigned int)major, (unsigned int)minor)));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(lchown0)(JNIEnv *env, jclass cls, jstring jpath, jint uid, jint gid)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(lchown(path, (uid_t)uid, (gid_t)gid));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(chmod0)(JNIEnv *env, jclass cls, jstring jpath, jint mode)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(chmod(path, (mode_t)mode));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(lutimes0)(JNIEnv *env, jclass cls, jstring jpath, jlong sec, jlong nsec)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	struct timespec times[2] = {{.tv_sec = sec, .tv_nsec = nsec}, {.tv_sec = sec, .tv_nsec = nsec}};
	jlong r = result(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(lsetxattr0)(JNIEnv *env, jclass cls, jstring jpath, jstring jname, jbyteArray jvalue)
{
	(void)cls;
	char *path = cstring(env, jpath), *name = cstring(env, jname);
	jsize len = (*env)->GetArrayLength(env, jvalue);
	jbyte *value = malloc(len > 0 ? (size_t)len : 1);
	jlong r = -(jlong)ENOMEM;
	if (path != NULL && name != NULL && value != NULL) {
		(*env)->GetByteArrayRegion(env, jvalue, 0, len, value);
		r = result(lsetxattr(path, name, value, (size_t)len, 0));
	}
	free(path);
	free(name);
	free(value);
	return r;
}

/* The value's length, copied into out when it fits; the caller retries with a larger array otherwise. */
JNIEXPORT jlong JNICALL FN(lgetxattr0)(JNIEnv *env, jclass cls, jstring jpath, jstring jname, jbyteArray out)
{
	(void)cls;
	char *path = cstring(env, jpath), *name = cstring(env, jname);
	jsize cap = (*env)->GetArrayLength(env, out);
	jbyte *buf = malloc(cap > 0 ? (size_t)cap : 1);
	jlong r = -(jlong)ENOMEM;
	if (path != NULL && name != NULL && buf != NULL) {
		ssize_t n = lgetxattr(path, name, buf, (size_t)cap);
		if (n < 0 && errno == ERANGE)
			n = lgetxattr(path, name, NULL, 0);
		else if (n > 0)
			(*env)->SetByteArrayRegion(env, out, 0, (jsize)n, buf);
		r = result(n);
	}
	free(path);
	free(name);
	free(buf);
	return r;
}

/* Like lgetxattr0: the NUL-separated list's length, copied into out when it fits. */
JNIEXPORT jlong JNICALL FN(llistxattr0)(JNIEnv *env, jclass cls, jstring jpath, jbyteArray out)
{
	(void)cls;
	char *path = cstring(env, jpath);
	jsize cap = (*env)->GetArrayLength(env, out);
	char *buf = malloc(cap > 0 ? (size_t)cap : 1);
	jlong r = -(jlong)ENOMEM;
	if (path != NULL && buf != NULL) {
		ssize_t n = llistxattr(path, buf, (size_t)cap);
		if (n < 0 && errno == ERANGE)
			n = llistxattr(path, NULL, 0);
		else if (n > 0)
			(*env)->SetByteArrayRegion(env, out, 0, (jsize)n, (jbyte *)buf);
		r = result(n);
	}
	free(path);
	free(buf);
	return r;
}

/* An eventfd with its counter at 0, close-on-exec: a write adds to the counter, a read returns and resets it. */
JNIEXPORT jlong JNICALL FN(eventfd0)(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return result(eventfd(0, EFD_CLOEXEC));
}

JNIEXPORT jlong JNICALL FN(inotifyInit0)(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return result(inotify_init1(IN_CLOEXEC));
}

JNIEXPORT jlong JNICALL FN(inotifyAddWatch0)(JNIEnv *env, jclass cls, jint fd, jstring jpath, jint mask)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	jlong r = result(inotify_add_watch(fd, path, (uint32_t)mask));
	free(path);
	return r;
}

JNIEXPORT jlong JNICALL FN(inotifyRmWatch0)(JNIEnv *env, jclass cls, jint fd, jint wd)
{
	(void)env;
	(void)cls;
	return result(inotify_rm_watch(fd, wd));
}

/*
 * poll(2) for input on each fd; stores each fd's revents (POLLIN, or POLLHUP/POLLERR/POLLNVAL, which a read
 * would report) in jrevents and returns how many are ready, 0 once timeout_ms (-1: none) has passed. Retried on
 * EINTR with the whole timeout again.
 */
JNIEXPORT jlong JNICALL FN(poll0)(JNIEnv *env, jclass cls, jintArray jfds, jintArray jrevents, jint timeout_ms)
{
	(void)cls;
	jsize n = (*env)->GetArrayLength(env, jfds);
	struct pollfd stack[8];
	struct pollfd *p = n <= (jsize)(sizeof(stack) / sizeof(stack[0])) ? stack : calloc((size_t)n, sizeof(*p));
	jint *fds = (*env)->GetIntArrayElements(env, jfds, NULL);
	jint *revents = (*env)->GetIntArrayElements(env, jrevents, NULL);
	jlong r = -(jlong)ENOMEM;
	if (p == NULL || fds == NULL || revents == NULL)
		goto out;
	for (jsize i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	int ready;
	do
		ready = poll(p, (nfds_t)n, timeout_ms);
	while (ready < 0 && errno == EINTR);
	r = result(ready);
	for (jsize i = 0; i < n; i++)
		revents[i] = ready > 0 ? p[i].revents : 0;
out:
	if (revents != NULL)
		(*env)->ReleaseIntArrayElements(env, jrevents, revents, 0);
	if (fds != NULL)
		(*env)->ReleaseIntArrayElements(env, jfds, fds, JNI_ABORT);
	if (p != stack)
		free(p);
	return r;
}

/* ---- mount(2) from a thread-private working directory (issue 10, defect 4) ---------------------------------- */

#include <pthread.h>
#include <sched.h>

struct mount_in {
	const char *dir, *source, *target, *type, *data;
	unsigned long flags;
	int err;
};

/*
 * Runs on a thread of its own: unshare(CLONE_FS) gives the thread its own working directory, so the chdir affects
 * no other thread of the JVM, and the thread ends with it.
 */
static void *mount_in_thread(void *arg)
{
	struct mount_in *m = arg;
	m->err = 0;
	if (unshare(CLONE_FS) < 0 || chdir(m->dir) < 0
	    || mount(m->source, m->target, m->type[0] ? m->type : NULL, m->flags, m->data[0] ? m->data : NULL) < 0)
		m->err = errno;
	return NULL;
}

/*
 * mount(2) with relative paths in source, target and data resolved against dir: what lets an overlay name more
 * lower directories than fit in the one page of options the kernel copies (containerd runs its mount helper
 * chdir'd for the same reason). A JVM cannot chdir, so a new native thread does.
 */
JNIEXPORT jlong JNICALL FN(mountIn0)(JNIEnv *env, jclass cls, jstring jdir, jstring jsource, jstring jtarget,
				     jstring jtype, jlong flags, jstring jdata)
{
	(void)cls;
	char *dir = cstring(env, jdir), *source = cstring(env, jsource), *target = cstring(env, jtarget);
	char *type = cstring(env, jtype), *data = cstring(env, jdata);
	jlong r = -(jlong)ENOMEM;
	if (dir != NULL && source != NULL && target != NULL && type != NULL && data != NULL) {
		struct mount_in m = { .dir = dir, .source = source, .target = target, .type = type, .data = data,
				      .flags = (unsigned long)flags };
		pthread_t thread;
		int e = pthread_create(&thread, NULL, mount_in_thread, &m);
		if (e == 0)
			e = pthread_join(thread, NULL);
		r = e != 0 ? -(jlong)e : m.err != 0 ? -(jlong)m.err : 0;
	}
	free(dir);
	free(source);
	free(target);
	free(type);
	free(data);
	return r;
}

/* ---- network namespaces (issue 13) ----------------------------------------------------------------------- */

#include <net/if.h>
#include <stdio.h>
#include <sys/syscall.h>

struct netns_create {
	const char *target;
	int err;
};

/* Sets IFF_UP on the loopback of the calling thread's network namespace (what ip link set lo up does). */
static int loopback_up(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	int err = 0;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		err = errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = errno;
	}
	close(fd);
	return err;
}

/*
 * Runs on a thread of its own, as CNI's ns package does on a locked OS thread: unshare(CLONE_NEWNET) moves only
 * this thread into a new network namespace, whose loopback it brings up (as docker's libnetwork does, instead of
 * running CNI's loopback plugin), the bind mount of its ns file keeps the namespace alive, and the thread ends
 * without any other thread of the JVM having changed namespace.
 */
static void *netns_create_thread(void *arg)
{
	struct netns_create *n = arg;
	char self[64];
	n->err = 0;
	snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", (long)syscall(SYS_gettid));
	if (unshare(CLONE_NEWNET) < 0) {
		n->err = errno;
		return NULL;
	}
	n->err = loopback_up();
	if (n->err == 0 && mount(self, n->target, NULL, MS_BIND, NULL) < 0)
		n->err = errno;
	return NULL;
}

/* A new network namespace, its loopback up, bind-mounted on target (an existing file). */
JNIEXPORT jlong JNICALL FN(netnsCreate0)(JNIEnv *env, jclass cls, jstring jtarget)
{
	(void)cls;
	char *target = cstring(env, jtarget);
	if (target == NULL)
		return -(jlong)ENOMEM;
	struct netns_create n = { .target = target };
	pthread_t thread;
	int e = pthread_create(&thread, NULL, netns_create_thread, &n);
	if (e == 0)
		e = pthread_join(thread, NULL);
	free(target);
	return e != 0 ? -(jlong)e : n.err != 0 ? -(jlong)n.err : 0;
}

/* setns(2) of the calling thread into the network namespace at path. */
JNIEXPORT jlong JNICALL FN(netnsJoin0)(JNIEnv *env, jclass cls, jstring jpath)
{
	(void)cls;
	char *path = cstring(env, jpath);
	if (path == NULL)
		return -(jlong)ENOMEM;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -(jlong)errno;
	int r = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	return r < 0 ? -(jlong)e : 0;
}
