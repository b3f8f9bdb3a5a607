"""Runs a command on a new pty, as a person at a terminal would: sets the window size, types a line once the
output shows a marker, and prints everything the terminal showed, then the command's exit status.

usage: pty-run.py ROWS COLS MARKER INPUT TIMEOUT_SECONDS COMMAND...
"""
import os
import pty
import select
import struct
import sys
import time
import fcntl
import termios

rows, cols, marker, line, timeout = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[6], sys.argv[6:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
shown, typed, deadline = b"", False, time.time() + timeout
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the other side of the pty is closed
            break
        if not data:
            break
        shown += data
    if not typed and marker.encode() in shown:
        os.write(fd, line.encode() + b"\r")
        typed = True
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace").replace("\r", ""))
sys.stdout.write("exit=%d\n" % os.waitstatus_to_exitcode(status))
