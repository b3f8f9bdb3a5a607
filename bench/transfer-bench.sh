#!/bin/bash
# transfer-bench.sh: image transfer and cold run, berthd + berth CLI vs containerd 1.6 + ctr, in one run.
#
#   sudo bench/transfer-bench.sh [-n ROUNDS]
#
# Builds, with no network, a busybox image (scripts/build-busybox-archive.sh) and a five-layer image of about
# 64 MB on top of it (umoci), serves both from a local docker-registry on 127.0.0.1, and measures round by round,
# interleaved: pull + unpack of the five-layer image with `berth pull` through berthd against `ctr images pull`
# with containerd (each round starts from nothing: the image is removed and collected in between), and a cold
# `berth run --rm busybox true` against `ctr run --rm`. Prints medians and p95, MB/s and the ratios against the
# targets: pull >= 3x containerd's MB/s; cold run <= 1.0x ctr on containerd.
#
# Safety (bench/lib.sh): containerd and berthd run from temp dirs in a mount namespace with a tmpfs over /run (so
# /run/containerd and /run/berth are never touched), berthd with no bridge; the registry listens on 127.0.0.1 only.
# On exit every daemon this script started is stopped by its PID and the temp dir removed.
set -eu
export LC_ALL=C

rounds=5
while getopts n:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
    esac
done
case $rounds in *[!0-9]* | '') echo "transfer-bench: -n takes a number" >&2; exit 2 ;; esac
. "$(dirname "$0")/lib.sh" transfer-bench
bench_need_root
bench_require "scripts/setup.sh; mvn -B -q package -DskipTests" "$repo/bin/berth" "$repo/bin/berthd" \
    "$repo/cli/target/berth-cli.jar" "$repo/manager/target/berthd.jar" /usr/bin/containerd /usr/bin/ctr \
    /usr/bin/docker-registry /usr/bin/skopeo /usr/bin/umoci /bin/busybox

ns=bench$$
bench_setup "$ns" btb

echo "== building the images (no network)"
"$repo/scripts/build-busybox-archive.sh" "$work/busybox.tar" >/dev/null
skopeo copy -q oci-archive:"$work/busybox.tar" oci:"$work/layout":busybox
tag=busybox
for i in 1 2 3 4 5; do
    size=$((4 << 20)); [ $i = 3 ] && size=$((50 << 20)); [ $i = 5 ] && size=$((2 << 20))
    umoci unpack --image "$work/layout:$tag" "$work/bundle$i" >/dev/null 2>&1
    head -c $size /dev/urandom >"$work/bundle$i/rootfs/layer$i"
    umoci repack --image "$work/layout:big$i" "$work/bundle$i" >/dev/null
    rm -rf "$work/bundle$i"
    tag=big$i
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YML
/usr/bin/docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
bench_daemons+=(registry_pid)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
skopeo copy -q --dest-tls-verify=false oci:"$work/layout":busybox docker://127.0.0.1:$port/busybox:latest
skopeo copy -q --dest-tls-verify=false oci:"$work/layout":big5 docker://127.0.0.1:$port/layers5:latest
big=127.0.0.1:$port/layers5:latest
small=127.0.0.1:$port/busybox:latest
bytes=$(du -sb "$work/registry" | cut -f1)

echo "== starting containerd and berthd (private roots, private /run)"
bench_namespaces
bench_containerd_config
bench_start_containerd
bench_start_berthd # no default bridge: it shares the host's network namespace
ctr() { /usr/bin/ctr -a "$work/containerd.sock" -n "$ns" "$@"; }
berth() { "$repo/bin/berth" -a "$work/berthd.sock" -n "$ns" "$@"; }
bench_wait containerd "$cd_pid" ctr version
bench_wait berthd "$bd_pid" berth version

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
samples=$work/samples
: >"$samples"
timed() { # NAME command...
    local t0 t1
    t0=$(now_ms)
    "${@:2}" >>"$work/out.log" 2>&1 || { echo "transfer-bench: $1 failed:"; tail -5 "$work/out.log"; exit 1; }
    t1=$(now_ms)
    echo "$1 $((t1 - t0))" >>"$samples"
}

echo "== $rounds rounds, interleaved"
ctr images pull --plain-http "$small" >/dev/null
berth pull "$small" >/dev/null
for r in $(seq 1 "$rounds"); do
    timed ctr-pull ctr images pull --plain-http "$big"
    ctr images rm --sync "$big" >/dev/null
    timed berth-pull berth pull -q "$big"
    berth rmi "$big" >/dev/null
    timed ctr-run ctr run --rm --fifo-dir "$work/fifo" "$small" "r$r" true
    timed berth-run berth run --rm "$small" true
done

stat() { grep "^$1 " "$samples" | cut -d' ' -f2 | bench_median_p95; } # NAME -> "median p95"
read -r cp cp95 <<<"$(stat ctr-pull)"
read -r bp bp95 <<<"$(stat berth-pull)"
read -r cr cr95 <<<"$(stat ctr-run)"
read -r br br95 <<<"$(stat berth-run)"
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
printf '\n%-44s %16s %16s %8s  %s\n' "($rounds rounds, medians; p95 in brackets)" "containerd+ctr" "berthd+berth" "ratio" "target"
awk -v c="$cp" -v b="$bp" -v c9="$cp95" -v b9="$bp95" -v mb="$mb" 'BEGIN {
    cs = mb / (c / 1000); bs = mb / (b / 1000); r = bs / cs
    printf "%-44s %7d ms [%4d] %7d ms [%4d]\n", "pull + unpack, " mb " MB (registry bytes)", c, c9, b, b9
    printf "%-44s %11.1f MB/s %11.1f MB/s %7.2fx  >= 3x: %s\n", "  throughput", cs, bs, r, (r >= 3 ? "PASS" : "MISS") }'
awk -v c="$cr" -v b="$br" -v c9="$cr95" -v b9="$br95" 'BEGIN {
    r = b / c
    printf "%-44s %7d ms [%4d] %7d ms [%4d] %7.2fx  <= 1.0x: %s\n", "cold run --rm busybox true", c, c9, b, b9, r, (r <= 1.0 ? "PASS" : "MISS") }'
