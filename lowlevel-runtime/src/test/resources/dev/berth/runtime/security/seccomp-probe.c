/* Test helper: loads a seccomp program exported by SeccompCompiler, then reports what three syscalls return.
 * usage: seccomp-probe <program file> <flags> <directory to create> */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int result(long rc) {
    return rc < 0 ? errno : 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        return 2;
    }
    static struct sock_filter insns[4096];
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror("open program");
        return 2;
    }
    size_t n = fread(insns, sizeof(insns[0]), 4096, f);
    fclose(f);
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = insns};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("no_new_privs");
        return 2;
    }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, strtoul(argv[2], NULL, 10), &prog) != 0) {
        perror("seccomp");
        return 2;
    }
    int mk = result(mkdir(argv[3], 0700));
    int pid = result(syscall(SYS_getpid));
    int newer = result(syscall(435, NULL, 0)); /* clone3 with no arguments: EINVAL or EFAULT unless filtered */
    printf("mkdir=%d getpid=%d clone3=%d\n", mk, pid, newer);
    return 0;
}
