/** The stdio of the shim's processes: the FIFOs a client passes, opened so that no open ever blocks. */
package dev.berth.shim.io;
