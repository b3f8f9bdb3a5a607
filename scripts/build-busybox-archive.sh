#!/usr/bin/env bash
# Builds the OCI image archive of Debian's busybox-static at OUT, named NAME (default docker.io/library/busybox:latest),
# with no network and reproducibly (same busybox binary, same bytes). Needs the busybox-static package
# (scripts/setup.sh). Runs test-support's BusyboxImage with the JDK's source launcher, so no build is needed first.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 OUT [NAME]" >&2
    exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java_home/bin/java" ] || java_home=/usr/lib/jvm/temurin-25-jdk-amd64
exec "$java_home/bin/java" "$repo/test-support/src/main/java/dev/berth/testsupport/BusyboxImage.java" "$@"
