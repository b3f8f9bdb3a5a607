#!/usr/bin/python3
"""The receiving end of an OCI runtime's --console-socket.

Usage: console-socket.py SOCKET_PATH [INPUT]

Listens on SOCKET_PATH, accepts one connection, receives the pty master by SCM_RIGHTS (the JVM cannot receive
descriptors), writes INPUT to it, then copies everything the container prints on its terminal to stdout until the
terminal's last slave descriptor closes (EIO).
"""
import os
import socket
import sys


def main():
    path = sys.argv[1]
    text = sys.argv[2] if len(sys.argv) > 2 else ""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    conn, _ = server.accept()
    _, fds, _, _ = socket.recv_fds(conn, 4096, 1)
    conn.close()
    server.close()
    if not fds:
        sys.stderr.write("no descriptor received\n")
        return 2
    master = fds[0]
    sys.stderr.write("received pty master\n")
    sys.stderr.flush()
    if text:
        os.write(master, text.encode())
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            # EIO: every slave descriptor is closed, the container's terminal is gone.
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
