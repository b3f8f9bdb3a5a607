#!/bin/sh
# The whole test suite: unit tests, then integration tests that run real containers with berth-runtime
# (and, for the suite's own check, with Debian's runc). Must run as root.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
exec mvn -B -ntp verify "$@"
