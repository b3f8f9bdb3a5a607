/*
 * berth-docker-init: the tiny init `--init` runs as a container's PID 1
 * (docker bind-mounts its own, tini, at /sbin/docker-init; Berth mounts this
 * one there). Usage: berth-docker-init [--] COMMAND [ARG...]
 *
 * A program that is PID 1 of its PID namespace has two duties most programs
 * do not expect: the kernel gives it no default signal actions (a SIGTERM
 * without a handler is ignored), and every orphan of the namespace becomes
 * its child, to be reaped. This program takes both duties for COMMAND:
 *
 * - it starts COMMAND in a process group of its own (the terminal's
 *   foreground group when stdin is a terminal) and forwards every signal it
 *   receives to that group: SIGTERM from `stop` reaches COMMAND and what
 *   COMMAND started in its group;
 * - it reaps every child that exits, COMMAND or an orphan;
 * - when COMMAND exits it exits with COMMAND's status: the exit code, or
 *   128 + the signal that killed it, as a shell reports it.
 *
 * Signals are never handled asynchronously: all of them are blocked before
 * the fork and received with sigtimedwait(), so there is no handler and no
 * race between a SIGCHLD and the wait. The synchronous signals a fault raises
 * (SIGSEGV, SIGBUS, ...) stay unblocked. The child restores the mask and the
 * default actions before execvp(). If this program is not PID 1 (the host's
 * PID namespace), it makes itself a child subreaper so orphans still come to
 * it. It is built static: it runs inside any image, with or without a libc.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME "berth-docker-init"

/* Signals raised by a fault of this process itself: blocking them would hang or kill it silently. */
static const int synchronous[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};

static void blocked_set(sigset_t *set)
{
    sigfillset(set);
    for (size_t i = 0; i < sizeof(synchronous) / sizeof(synchronous[0]); i++) {
        sigdelset(set, synchronous[i]);
    }
}

/* In the child: own process group, the terminal's foreground if there is one, default signals, then exec. */
static void exec_command(char **argv, const sigset_t *original)
{
    if (setpgid(0, 0) != 0) {
        fprintf(stderr, NAME ": setpgid: %s\n", strerror(errno));
        _exit(126);
    }
    /* SIGTTOU is still blocked here, so a background group may take the terminal without being stopped. */
    if (isatty(STDIN_FILENO) && tcsetpgrp(STDIN_FILENO, getpgrp()) != 0 && errno != ENOTTY) {
        fprintf(stderr, NAME ": tcsetpgrp: %s\n", strerror(errno));
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        sigaction(sig, &dfl, NULL); /* fails for SIGKILL, SIGSTOP and the real-time signals libc reserves */
    }
    sigprocmask(SIG_SETMASK, original, NULL);
    execvp(argv[0], argv);
    int err = errno;
    fprintf(stderr, NAME ": exec %s: %s\n", argv[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

/* Reaps every exited child; returns 1 and sets *status when one of them is `command`. */
static int reap(pid_t command, int *status)
{
    int found = 0;
    for (;;) {
        int st;
        pid_t pid = waitpid(-1, &st, WNOHANG);
        if (pid > 0) {
            if (pid == command) {
                *status = st;
                found = 1;
            }
            continue;
        }
        if (pid < 0 && errno == EINTR) {
            continue;
        }
        return found; /* 0: children left, none exited; -1 ECHILD: no children at all */
    }
}

/* Sends `sig` to the command's process group, or to the command alone if it left that group. */
static void forward(pid_t command, int sig)
{
    if (kill(-command, sig) != 0 && errno == ESRCH) {
        kill(command, sig);
    }
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0) {
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: " NAME " [--] COMMAND [ARG...]\n");
        return 2;
    }
    if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        fprintf(stderr, NAME ": become a subreaper: %s\n", strerror(errno));
    }

    sigset_t all, original;
    blocked_set(&all);
    if (sigprocmask(SIG_BLOCK, &all, &original) != 0) {
        fprintf(stderr, NAME ": block signals: %s\n", strerror(errno));
        return 1;
    }

    pid_t command = fork();
    if (command < 0) {
        fprintf(stderr, NAME ": fork: %s\n", strerror(errno));
        return 1;
    }
    if (command == 0) {
        exec_command(argv + first, &original);
    }
    /* The parent sets the group too, so a signal forwarded before the child ran setpgid still finds it. */
    setpgid(command, command);

    struct timespec tick = {1, 0};
    for (;;) {
        siginfo_t info;
        int sig = sigtimedwait(&all, &info, &tick);
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, NAME ": wait for signals: %s\n", strerror(errno));
            return 1;
        }
        if (sig > 0 && sig != SIGCHLD && sig != SIGTTIN && sig != SIGTTOU) {
            forward(command, sig);
        }
        /* Reap on SIGCHLD and on every tick: SIGCHLDs of several children may merge into one. */
        int status;
        if (reap(command, &status) == 1) {
            reap(-1, &status); /* orphans that exited together with the command */
            if (WIFSIGNALED(status)) {
                return 128 + WTERMSIG(status);
            }
            return WEXITSTATUS(status);
        }
    }
}
