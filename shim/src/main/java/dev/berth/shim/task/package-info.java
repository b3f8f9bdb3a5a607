/**
 * The shim's {@code containerd.task.v2.Task} ttrpc service: converts each request, calls one method of
 * {@link dev.berth.shim.process}, converts back and maps the error kind to a status.
 */
package dev.berth.shim.task;
