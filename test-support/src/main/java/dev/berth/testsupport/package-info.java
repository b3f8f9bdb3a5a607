/**
 * Test fixtures shared by every module's tests, one of each: {@link dev.berth.testsupport.BusyboxImage} (the busybox
 * image from Debian's {@code busybox-static}, also the main job's archive) over
 * {@link dev.berth.testsupport.OciLayout} (OCI image layouts and archives) and
 * {@link dev.berth.testsupport.TarWriter}; {@link dev.berth.testsupport.LocalRegistry} (Debian's
 * {@code docker-registry} on 127.0.0.1: anonymous, htpasswd Basic, or Bearer through a
 * {@link dev.berth.testsupport.RegistryFront}, which also injects faults); {@link dev.berth.testsupport.Json}.
 *
 * <p>Depends on the JDK only: {@code scripts/build-busybox-archive.sh} runs {@code BusyboxImage} with the JDK's
 * source launcher, which compiles the classes it uses from this tree, so the main job needs no build of this module.
 */
package dev.berth.testsupport;
