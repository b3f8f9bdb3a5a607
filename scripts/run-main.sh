#!/bin/sh
# The main job: build Berth, start berthd with its default configuration, load the busybox image that the build
# made from Debian's busybox-static (no network), run a container with the berth CLI, and show `berth ps -a` and
# `berth images`. Must run as root. berthd is stopped (by its pid) at the end; its root stays in /var/lib/berth.
# Exits 0 when every step worked; otherwise with the failing step's status, after printing berthd's log.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
echo "== building Berth"
mvn -B -q -ntp package -DskipTests

archive=manager/target/busybox.tar
scripts/build-busybox-archive.sh "$archive"

socket=/run/berth/berthd.sock
log=$(mktemp /tmp/berthd-main.XXXXXX.log)
berthd=
finish() {
  status=$?
  if [ -n "$berthd" ]; then
    kill "$berthd" 2>/dev/null || true
    wait "$berthd" 2>/dev/null || true # berthd's own status on SIGTERM is not the job's
  fi
  if [ "$status" -ne 0 ]; then
    echo "the main job failed (exit $status); berthd's log:" >&2
    cat "$log" >&2
  fi
  rm -f "$log" "$conf"
  exit "$status"
}
trap finish EXIT
# the main job changes nothing in the host's network: no bridge, no forwarding or iptables rules (its containers
# get the `none` network), and nothing a container sends leaves the machine
conf=$(mktemp /tmp/berthd-main.XXXXXX.toml)
printf '[berth.network]\nbridge = "none"\nmasquerade = false\nupstream_dns = false\n' >"$conf"
bin/berthd --config "$conf" >"$log" 2>&1 &
berthd=$!
i=0
until bin/berth version >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 150 ] || ! kill -0 "$berthd" 2>/dev/null; then
    echo "berthd did not come up on $socket" >&2
    exit 1
  fi
  sleep 0.2
done
echo "== berthd serving on $socket"

echo "== berth load -i $archive"
bin/berth load -i "$archive"
echo "== berth run --rm busybox echo hello from berth"
bin/berth run --rm busybox echo hello from berth
echo "== berth run --name berth-main --hostname berth-main busybox sh -c 'hostname; id'"
bin/berth rm -f berth-main >/dev/null 2>&1 || true
bin/berth run --name berth-main --hostname berth-main busybox sh -c 'echo "hostname: $(hostname)"; id'
echo "== berth ps -a"
bin/berth ps -a
echo "== berth images"
bin/berth images
bin/berth rm berth-main >/dev/null
