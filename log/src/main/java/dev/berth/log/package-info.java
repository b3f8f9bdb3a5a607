/**
 * The one logger of every Berth JVM program: berthd, the shim and the ttrpc server and client in api-proto
 * ({@link dev.berth.log.Log}: field-based logfmt records, as containerd logs with {@code log.G(ctx).WithFields}).
 * berth-runtime's CLI does not use it: it writes runc's {@code --log}/{@code --log-format json} records, which
 * containerd reads.
 *
 * <p>Why a module of its own: api-proto's ttrpc, the shim and berthd all log, and api-proto is the lowest of them,
 * but logging is no part of an API; a module with no dependencies can sit under all three (and under the runtime
 * library, should it ever log) without bringing protobuf or gRPC along.
 *
 * <p>Why the threshold is one process-wide sink set by main ({@link dev.berth.log.Log#configure}) and not a sink
 * passed to every constructor: every class that logs holds a static logger, as with containerd's {@code log.G} and
 * logrus's standard logger, whose level containerd's main sets from {@code --log-level}/{@code debug.level} and
 * the shim's main from {@code -debug}. Passing a sink down would put a parameter on some thirty constructors for
 * one setting that never differs within a process. The sink is still not read from a system property: only main
 * sets it, from the program's own flags and config, and tests log through {@link dev.berth.log.Log#to} with a sink
 * of their own.
 */
package dev.berth.log;
