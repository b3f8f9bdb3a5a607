package dev.berth.sys;

/** The terminal role: what a pty needs beyond reading and writing its fd. */
public interface TerminalSyscalls {

    /** Sets a terminal's window size. */
    void setWindowSize(int fd, int rows, int cols);
}
