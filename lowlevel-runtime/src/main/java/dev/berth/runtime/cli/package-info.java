/** The berth-runtime command line: runc's global flags and one class per verb over the container library. */
package dev.berth.runtime.cli;
