#!/usr/bin/env bash
# Builds the OCI image archive of Debian's busybox-static at OUT, named NAME (default docker.io/library/busybox:latest),
# with no network and reproducibly (same busybox binary, same bytes). Needs the busybox-static package
# (scripts/setup.sh). Runs test-support's BusyboxImage from its built jar when that is newer than every source file
# (saves the 2-3 s of compiling), else from source with the JDK's launcher, so no build is needed first.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 OUT [NAME]" >&2
    exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java_home/bin/java" ] || java_home=/usr/lib/jvm/temurin-25-jdk-amd64
src="$repo/test-support/src/main/java"
jar=""
for f in "$repo"/test-support/target/berth-test-support-*.jar; do
    [ -f "$f" ] && jar="$f"
done
if [ -n "$jar" ] && [ -z "$(find "$src" -newer "$jar" -print -quit)" ]; then
    exec "$java_home/bin/java" -cp "$jar" dev.berth.testsupport.BusyboxImage "$@"
fi
exec "$java_home/bin/java" "$src/dev/berth/testsupport/BusyboxImage.java" "$@"
