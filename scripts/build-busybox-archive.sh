#!/usr/bin/env bash
# Builds the OCI image archive of Debian's busybox-static (docker.io/library/busybox:latest) at OUT, with no
# network and reproducibly (same busybox binary, same bytes). Needs the busybox-static package (scripts/setup.sh).
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 OUT" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java_home/bin/java" ] || java_home=/usr/lib/jvm/temurin-25-jdk-amd64
exec "$java_home/bin/java" "$here/BusyboxArchive.java" "$1"
