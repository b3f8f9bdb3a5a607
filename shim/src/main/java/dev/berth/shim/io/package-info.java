/**
 * The stdio of the shim's processes: containerd's stdio strings (FIFO paths, {@code file://}, {@code binary://}
 * loggers), the console socket that receives a pty master, and the copiers between them; FIFOs are opened so that
 * no open ever blocks.
 */
package dev.berth.shim.io;
