#!/bin/sh
# The main job: build Berth, make a busybox bundle from Debian's busybox-static, and run it with
# berth-runtime: the container shows its hostname, its PID 1 and its own mounts. Must run as root.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -q -ntp package -DskipTests

work=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs="$work/bundle/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/etc"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
done
bin/berth-runtime spec --bundle "$work/bundle"
python3 - "$work/bundle/config.json" "berth-demo-$$" <<'PY'
import json, sys
path, name = sys.argv[1], sys.argv[2]
config = json.load(open(path))
config["hostname"] = "berth-demo"
config["process"]["terminal"] = False
config["process"]["args"] = ["sh", "-c",
    'echo "hostname: $(hostname)"; echo "PID 1: $(cat /proc/1/cmdline | tr "\\0" " ")(I am $$)";'
    ' echo "mounts:"; cat /proc/self/mounts']
config["linux"]["cgroupsPath"] = "/" + name
json.dump(config, open(path, "w"), indent=2)
PY
echo "== berth-runtime run (a busybox container)"
bin/berth-runtime --root "$work/state" run --bundle "$work/bundle" "berth-demo-$$"
