#!/bin/bash
# build-bench.sh: Dockerfile build time, berthd (berth build) vs Debian's buildah 1.28, in one run.
#
#   sudo bench/build-bench.sh [-n ROUNDS]
#
# Builds the same multi-step Dockerfile (FROM busybox, ENV, WORKDIR, two COPYs, three RUNs, EXPOSE, CMD) round
# by round, interleaved: cold (`--no-cache` for berthd, `--layers=false` after removing buildah's images) and
# fully cached (`berth build` again; `buildah bud --layers` again). buildah runs offline: vfs storage in the temp
# dir, `--pull=never --network none --isolation oci`, both on a base each builds from busybox's layer (ADD to
# scratch) from the same OCI archive. Prints medians and
# p95 and the ratios against the targets: cold <= 1.0x buildah's, cached <= 0.5x buildah's cached.
#
# Safety: berthd runs from a temp dir in its own mount namespace with a tmpfs over /run (so /run/berth is never
# touched), buildah's storage is in the temp dir. On exit every daemon this script started is stopped by its PID,
# buildah's containers and images removed and the temp dir deleted.
set -eu
export LC_ALL=C

rounds=5
while getopts n:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
    esac
done
case $rounds in *[!0-9]* | '') echo "build-bench: -n takes a number" >&2; exit 2 ;; esac
. "$(dirname "$0")/lib.sh" build-bench
bench_need_root
bench_require "apt-get install buildah; mvn -B -q package -DskipTests" "$repo/bin/berth" "$repo/bin/berthd" \
    "$repo/cli/target/berth-cli.jar" "$repo/manager/target/berthd.jar" /usr/bin/buildah /bin/busybox

ns=bench$$
bench_setup "$ns" bbb
bh=(/usr/bin/buildah --root "$work/bh/root" --runroot "$work/bh/run" --storage-driver vfs)
bench_teardown() {
    "${bh[@]}" rm --all >/dev/null 2>&1
    "${bh[@]}" rmi --all --force >/dev/null 2>&1
}

"$repo/scripts/build-busybox-archive.sh" "$work/busybox.tar" >/dev/null
mkdir -p "$work/ctx/src"
cat >"$work/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM ${BASE}
ENV APP_HOME=/opt/app MODE=bench
WORKDIR /opt/app
COPY src/ ./src/
RUN mkdir -p /opt/app/out && for i in 1 2 3 4 5 6 7 8; do cat src/* > out/all.$i; done
COPY config.txt /etc/app.conf
RUN wc -c out/* > /opt/app/sizes && echo built > /opt/app/marker
RUN adduser -D -u 1001 app 2>/dev/null || true
EXPOSE 8080
CMD ["cat", "/opt/app/marker"]
DOCKERFILE
for i in $(seq 1 50); do head -c 20000 /dev/urandom | base64 >"$work/ctx/src/file$i.txt"; done
echo "mode=bench" >"$work/ctx/config.txt"

echo "== starting berthd (private root, private /run); building the base busybox in it and in buildah"
bench_namespaces
bench_start_berthd # no default bridge (RUN steps use network none): it shares the host's network namespace
berth() { "$repo/bin/berth" -a "$work/berthd.sock" -n "$ns" "$@"; }
bench_wait berthd "$bd_pid" berth version
# the base: busybox's layer ADDed to scratch by each builder, so that both bases have a history entry per layer
# (buildah --layers refuses a base without one, as the test archive is)
mkdir -p "$work/oci" "$work/basectx"
tar -xf "$work/busybox.tar" -C "$work/oci"
cp "$(ls -S "$work"/oci/blobs/sha256/* | head -1)" "$work/basectx/rootfs.tar.gz"
printf 'FROM scratch\nADD rootfs.tar.gz /\nCMD ["sh"]\n' >"$work/basectx/Dockerfile"
berth build -q -t localhost/bench-base:1 "$work/basectx" >/dev/null
"${bh[@]}" bud --pull=never --network none --isolation oci -t localhost/bench-base:1 "$work/basectx" >/dev/null

ms() { date +%s%N | cut -c1-13; }
time_of() { # time_of CMD...: milliseconds the command took; its output goes to the log
    local t0 t1
    t0=$(ms)
    "$@" >>"$work/runs.log" 2>&1 || { echo "build-bench: failed: $*" >&2; tail -20 "$work/runs.log" >&2; exit 1; }
    t1=$(ms)
    echo $((t1 - t0))
}
bh_bud() { "${bh[@]}" bud --pull=never --network none --isolation oci --build-arg BASE=localhost/bench-base:1 "$@" \
    "$work/ctx"; }

: >"$work/bc" ; : >"$work/bw" ; : >"$work/hc" ; : >"$work/hw"
for r in $(seq 1 "$rounds"); do
    time_of berth build --no-cache --build-arg BASE=localhost/bench-base:1 -t bench:1 "$work/ctx" >>"$work/bc"
    time_of berth build --build-arg BASE=localhost/bench-base:1 -t bench:1 "$work/ctx" >>"$work/bw"
    "${bh[@]}" rmi --force bench:1 >/dev/null 2>&1 || true
    "${bh[@]}" rmi --prune >/dev/null 2>&1 || true
    time_of bh_bud --layers --no-cache -t bench:1 >>"$work/hc"
    time_of bh_bud --layers -t bench:1 >>"$work/hw"
    echo "round $r/$rounds done"
done

read -r bcm bcp < <(bench_median_p95 <"$work/bc")
read -r bwm bwp < <(bench_median_p95 <"$work/bw")
read -r hcm hcp < <(bench_median_p95 <"$work/hc")
read -r hwm hwp < <(bench_median_p95 <"$work/hw")
verdict() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {r=a/b; printf "%.2fx (target <= %.1fx) %s", r, t, \
    (r <= t ? "PASS" : "MISS")}'; }
echo
printf '%-28s %10s %10s\n' "build (ms, $rounds rounds)" median p95
printf '%-28s %10s %10s\n' "berthd cold (--no-cache)" "$bcm" "$bcp"
printf '%-28s %10s %10s\n' "buildah cold (--no-cache)" "$hcm" "$hcp"
printf '%-28s %10s %10s\n' "berthd cached" "$bwm" "$bwp"
printf '%-28s %10s %10s\n' "buildah cached (--layers)" "$hwm" "$hwp"
echo "cold:   berthd/buildah $(verdict "$bcm" "$hcm" 1.0)"
echo "cached: berthd/buildah-cached $(verdict "$bwm" "$hwm" 0.5)"
