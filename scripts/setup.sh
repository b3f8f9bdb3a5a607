#!/bin/sh
# Installs what building and testing Berth needs on Debian 12 (idempotent, silent when all is present).
set -eu
need=""
for p in busybox-static runc containerd libseccomp2 gcc libc6-dev maven iproute2 python3 containernetworking-plugins iptables skopeo umoci tmux docker-registry apache2-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  echo "installing:$need"
  export DEBIAN_FRONTEND=noninteractive
  out=$(mktemp)
  # apt and debconf talk on both streams; show them only when the installation fails
  # shellcheck disable=SC2086
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $need; } >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    echo "setup: apt-get install$need failed" >&2
    exit 1
  fi
  rm -f "$out"
fi
if [ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  echo "JDK 25 is missing at /usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
