package dev.berth.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the library from the path a main passes, and replacing one role of the system calls. */
class SyscallsCompositionTest {
    @TempDir
    Path tmp;

    /** A process role that records and answers without the kernel. */
    private static final class RecordingProcesses implements ProcessSyscalls {
        final List<String> calls = new ArrayList<>();

        @Override
        public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
            calls.add("spawn " + path);
            return 4242;
        }

        @Override
        public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
            calls.add("waitpid " + pid);
            return Optional.of(new ExitStatus(pid, 7, 0));
        }

        @Override
        public void kill(int pid, int signal) {
            calls.add("kill " + pid + " " + signal);
        }

        @Override
        public boolean processExists(int pid) {
            return false;
        }

        @Override
        public void setChildSubreaper() {
            calls.add("setChildSubreaper");
        }

        @Override
        public int getpid() {
            return 1;
        }

        @Override
        public void setpriority(int which, int who, int nice) {
            calls.add("setpriority");
        }
    }

    @Test
    void withProcesses_processCallsGoToTheReplacement_everyOtherCallToTheKernel() {
        RecordingProcesses processes = new RecordingProcesses();
        Syscalls sys = LinuxSyscalls.loadBuilt().withProcesses(processes);

        assertEquals(4242, sys.spawn("/bin/true", List.of("true"), List.of(), Map.of()));
        assertEquals(7, sys.waitpid(4242, false).orElseThrow().exitCode());
        sys.kill(4242, 9);
        assertEquals(1, sys.getpid());
        assertEquals(List.of("spawn /bin/true", "waitpid 4242", "kill 4242 9"), processes.calls);

        int[] pipe = sys.pipe();
        try {
            sys.writeFully(pipe[1], new byte[] {5});
            byte[] buf = new byte[1];
            assertEquals(1, sys.read(pipe[0], buf, 0, 1), "a real pipe: the fd role is the kernel's");
            assertEquals(5, buf[0]);
        } finally {
            sys.close(pipe[0]);
            sys.close(pipe[1]);
        }
    }

    @Test
    void load_twiceFromTheSamePath_bindsOnce() {
        Syscalls first = LinuxSyscalls.load(LinuxSyscalls.builtLibrary());
        Syscalls second = LinuxSyscalls.load(LinuxSyscalls.builtLibrary());
        assertEquals(first.getpid(), second.getpid());
        assertEquals(ProcessHandle.current().pid(), second.getpid());
    }

    @Test
    void load_missingLibrary_namesThePath() {
        Path missing = tmp.resolve("libberth-syscall.so");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> LinuxSyscalls.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
