#!/bin/sh
# Installs what building and testing Berth needs on Debian 12 (idempotent, quiet when all is present).
set -eu
need=""
for p in busybox-static runc containerd libseccomp2 gcc libc6-dev maven iproute2 python3 skopeo umoci tmux docker-registry apache2-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  echo "installing:$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
if [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "JDK 25 is missing at /usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
