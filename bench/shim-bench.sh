#!/bin/bash
# shim-bench.sh: berth-shim vs containerd's own shim (containerd-shim-runc-v2 + runc) under a private containerd.
#
#   sudo bench/shim-bench.sh [-n ROUNDS]
#
# Measures, interleaved round by round (the order rotates), the end-to-end latency of
# `ctr run --rm busybox /bin/true` with io.containerd.runc.v2 and with `--runtime <abs>/bin/berth-shim` (Berth's
# runtime in-process; its namespace's shim server stays between rounds); then RSS and PSS (/proc/<pid>/smaps_rollup)
# of everything shim-side (berth: the server and its berth-monitors) serving one `sleep` container for each, and per
# container serving a group of 10 (annotation io.containerd.runc.v2.group) vs 10 Go shims. Prints median and p95,
# berth/go, and PASS/MISS for the targets: latency <= 1.5x the Go shim; PSS per container <= 8x the Go shim alone
# and <= 1x in a group of 10.
#
# Safety: containerd runs from a temp config (root, state, sockets and opt under one temp dir) in its own mount
# namespace with a tmpfs over /run, so /run/containerd, /run/runc and /var/lib/containerd are never touched; its
# cgroups are /berth-bench-<pid>-<random>/<id>. On exit (also on failure or ^C) every container is removed, the
# containerd this script started is stopped by its PID, shims it started are killed by PID, the temp dir removed.
#
# Environment: BERTH_SHIM (default bin/berth-shim of this checkout), CONTAINERD (default /usr/bin/containerd).
set -eu
export LC_ALL=C # EPOCHREALTIME with a '.'

rounds=30
while getopts n:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
case $rounds in *[!0-9]* | '') echo "shim-bench: -n takes a number" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] || { echo "shim-bench: -n must be >= 1" >&2; exit 2; }
. "$(dirname "$0")/lib.sh" shim-bench
bench_need_root
shim=${BERTH_SHIM:-$repo/bin/berth-shim}
containerd=${CONTAINERD:-/usr/bin/containerd}
bench_require "build: mvn -B -q package -DskipTests -pl shim -am; apt-get install containerd runc busybox-static" \
    "$shim" "$repo/shim/target/berth-shim.jar" "$containerd" /usr/bin/ctr /usr/bin/containerd-shim-runc-v2 \
    /usr/sbin/runc /bin/busybox /usr/bin/unshare

tag=berth-bench-$$-$RANDOM
bench_setup "$tag" bsb
ns=$tag
image=docker.io/berth-bench/busybox:latest
ids=() # containers this script created (removed on exit)

ctr() { /usr/bin/ctr -a "$work/containerd.sock" -n "$ns" "$@"; }

# pids of shims serving our containerd: their command line names our temp dir (berth-shim: -address, the Go
# shim: -address too; a berth-monitor: its socket); for berth the shim server and its monitors
our_shims() { # berth|go
    local p cmd
    for p in /proc/[0-9]*; do
        cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
        case $cmd in *"$work"*) ;; *) continue ;; esac
        case $1:$cmd in
        berth:*dev.berth.shim.server.Main* | berth:berth-monitor\ *) echo "${p#/proc/}" ;;
        go:*containerd-shim-runc-v2*) echo "${p#/proc/}" ;;
        esac
    done
}

bench_teardown() { # the containers, while containerd answers
    if [ -n "$cd_pid" ] && kill -0 "$cd_pid" 2>/dev/null; then
        for id in "${ids[@]}"; do
            ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1
        done
        for id in "${ids[@]}"; do
            ctr tasks delete -f "$id" >/dev/null 2>&1
            ctr containers delete "$id" >/dev/null 2>&1
        done
    fi
}

# --- a private containerd (as integration-tests' PrivateContainerd starts it) ------------------------------
bench_namespaces
bench_containerd_config
bench_start_containerd "$containerd"
bench_wait containerd "$cd_pid" ctr version
"$repo/scripts/build-busybox-archive.sh" "$work/busybox-oci.tar" "$image"
ctr images import "$work/busybox-oci.tar" >>"$log" 2>&1

runtime_args() {
    case $1 in
    berth) echo "--runtime $shim" ;;
    *) echo "--runtime io.containerd.runc.v2" ;;
    esac
}

# cgroupsPath per container: ctr's default is /<namespace>/<id>, under our unique namespace
bench_run() { # SHIM ROUND
    local id=$tag-$1-$2 t0
    now_us; t0=$t
    # shellcheck disable=SC2046
    ctr run --rm $(runtime_args "$1") --fifo-dir "$work/fifo" "$image" "$id" /bin/true >>"$log" 2>&1
    now_us; record "$1" run_us $((t - t0))
}

echo "shim-bench: $rounds interleaved rounds of ctr run --rm /bin/true (berth-shim: $shim)" >&2
mkdir -p "$work/fifo"
kinds=(go berth)
for k in "${kinds[@]}"; do bench_run "$k" warm; done # first runs: page cache, snapshot unpack, the shim server
: >"$samples"
for i in $(seq 1 "$rounds"); do
    for j in $(seq 0 $((${#kinds[@]} - 1))); do # the order rotates: round i starts with kind i mod n
        bench_run "${kinds[$(((i + j) % ${#kinds[@]}))]}" "$i"
    done
done

# --- memory --------------------------------------------------------------------------------------------
smaps() { # PID FIELD -> kB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/smaps_rollup"
}
start_sleeper() { # SHIM ID [ANNOTATION]
    local shimname=$1 id=$2
    shift 2
    ids+=("$id")
    # shellcheck disable=SC2046
    ctr run -d $(runtime_args "$shimname") --fifo-dir "$work/fifo" "$@" "$image" "$id" sleep 600 >>"$log" 2>&1
}
stop_all() {
    for id in "${ids[@]}"; do ctr tasks kill -s SIGKILL "$id" >>"$log" 2>&1 || true; done
    for id in "${ids[@]}"; do
        for _ in $(seq 1 100); do
            ctr tasks ls | grep -q "^$id .*STOPPED" && break
            sleep 0.05
        done
        ctr tasks delete "$id" >>"$log" 2>&1 || true
        ctr containers delete "$id" >>"$log" 2>&1 || true
    done
    ids=()
}
measure() { # SHIM METRIC-SUFFIX CONTAINERS: sum RSS and PSS over that shim's processes, per container
    local rss=0 pss=0 n=0 p
    sleep 1 # let the shims settle after the start
    for p in $(our_shims "$1"); do
        rss=$((rss + $(smaps "$p" Rss))); pss=$((pss + $(smaps "$p" Pss))); n=$((n + 1))
    done
    echo "shim-bench: $1 $2: $n shim process(es), RSS $rss kB, PSS $pss kB for $3 container(s)" >&2
    record "$1" "rss_$2" $((rss / $3))
    record "$1" "pss_$2" $((pss / $3))
}

for s in go berth; do
    start_sleeper "$s" "$tag-$s-one"
    measure "$s" one 1
    stop_all
done
start_sleeper go "$tag-go-1"
for i in $(seq 2 10); do start_sleeper go "$tag-go-$i"; done
measure go group_per 10
stop_all
for i in $(seq 1 10); do start_sleeper berth "$tag-berth-g$i" --annotation "io.containerd.runc.v2.group=$tag"; done
measure berth group_per 10
stop_all

python3 "$repo/bench/shim-summarize.py" "$samples"
