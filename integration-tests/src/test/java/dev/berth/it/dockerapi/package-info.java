/**
 * The Docker Engine API endpoint under real clients: Debian's docker CLI 20.10 (the client binary only, taken
 * from the package with {@code apt-get download} and {@code dpkg -x}; no dockerd) against a private berthd's
 * {@code docker.sock}, with images loaded from test-support's archive so nothing is pulled from docker.io.
 */
package dev.berth.it.dockerapi;
