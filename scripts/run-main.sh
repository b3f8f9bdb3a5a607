#!/bin/sh
# The main job: build Berth, start berthd with its default paths, load the busybox image that the build made from
# Debian's busybox-static (no network), run containers with the berth CLI (one serving on a published port, fetched
# from 127.0.0.1), and show `berth ps -a` and `berth images`. Must run as root. berthd runs in a private network
# namespace of its own (`ip netns add berth-main-<pid>`, entered with nsenter: the mount namespace stays shared), so
# its default bridge, forwarding and iptables rules exist only there; masquerade and upstream DNS are off, so nothing
# a container sends leaves the machine. The host's network is checked unchanged at the end. berthd is stopped (by its
# pid) and the namespace deleted at the end, also on failure; berthd's root stays in /var/lib/berth.
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
conf=$(mktemp /tmp/berthd-main.XXXXXX.toml)
netns=berth-main-$$
berthd=
# what the host's network looks like before: after the job it must be the same
host_network() {
  echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
  ip -o link show berth0 2>/dev/null | sed 's/^[0-9]*: \([^:@]*\).*/link \1/'
  iptables -w -S 2>/dev/null | grep -E 'BERTH|CNI' || true
  iptables -w -t nat -S 2>/dev/null | grep -E 'BERTH|CNI' || true
}
before=$(host_network)
finish() {
  status=$?
  if [ -n "$berthd" ]; then
    [ "$status" -eq 0 ] || bin/berth rm -f berth-web berth-main >/dev/null 2>&1 || true
    kill "$berthd" 2>/dev/null || true
    wait "$berthd" 2>/dev/null || true # berthd's own status on SIGTERM is not the job's
  fi
  ip netns del "$netns" 2>/dev/null || true
  if [ "$status" -eq 0 ] && [ "$(host_network)" != "$before" ]; then
    echo "the main job changed the host's network:" >&2
    host_network >&2
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "the main job failed (exit $status); berthd's log:" >&2
    cat "$log" >&2
  fi
  rm -f "$log" "$conf"
  exit "$status"
}
trap finish EXIT
ip netns add "$netns"
ip netns exec "$netns" ip link set lo up
# the default bridge berth0 lives in the job's namespace; nothing a container sends leaves the machine
printf '[berth.network]\nbridge = "berth0"\nmasquerade = false\nupstream_dns = false\n' >"$conf"
nsenter --net="/run/netns/$netns" bin/berthd --config "$conf" >"$log" 2>&1 &
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
echo "== berthd serving on $socket (network namespace $netns)"

echo "== berth load -i $archive"
bin/berth load -i "$archive"
echo "== berth run --rm busybox echo hello from berth"
bin/berth run --rm busybox echo hello from berth
echo "== berth run --name berth-main --hostname berth-main busybox sh -c 'hostname; id'"
bin/berth rm -f berth-main >/dev/null 2>&1 || true
bin/berth run --name berth-main --hostname berth-main busybox sh -c 'echo "hostname: $(hostname)"; id'
echo "== berth run -d --name berth-web -p 127.0.0.1:18080:80 busybox httpd -f -p 80 -h /www"
bin/berth rm -f berth-web >/dev/null 2>&1 || true
bin/berth run -d --name berth-web -p 127.0.0.1:18080:80 busybox sh -c \
  'mkdir /www && echo "hello from a published port" >/www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
echo "== GET http://127.0.0.1:18080/ (from the job's network namespace)"
nsenter --net="/run/netns/$netns" python3 -c '
import sys, time, urllib.request
for attempt in range(50):
    try:
        print(urllib.request.urlopen("http://127.0.0.1:18080/", timeout=5).read().decode().strip())
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("no answer on 127.0.0.1:18080")'
echo "== berth ps -a"
bin/berth ps -a
echo "== berth images"
bin/berth images
bin/berth rm berth-main >/dev/null
bin/berth rm -f berth-web >/dev/null
