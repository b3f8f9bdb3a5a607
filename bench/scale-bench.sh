#!/bin/bash
# scale-bench.sh: issue 12's targets, berthd + berth-shim (+ the berth CLI) vs containerd 1.6 + its Go shim + runc.
#
#   sudo bench/scale-bench.sh [-n ROUNDS] [-c CONTAINERS] [-P]
#
# One run, both stacks up at once, interleaved round by round (the order alternates), all through the real `ctr`
# (Debian's containerd package) except the berth CLI rows:
#   - `ctr run --rm busybox /bin/true`, `ctr task exec` of /bin/true into a running container, `berth run --rm
#     busybox true` (against ctr run --rm on containerd), `berth --help` and `berth version`: ROUNDS each;
#   - RSS of each daemon idle (nothing running);
#   - CONTAINERS x `ctr run -d busybox sleep` launched at once, total time; then with them all running: PSS of
#     everything shim-side (containerd-shim-runc-v2 processes / berth-shim JVMs and berth-monitor processes) and
#     each daemon's RSS, the RSS of one berth-monitor if there is one; then each daemon SIGKILLed and restarted
#     until its socket answers `version` and `ctr task ls` lists every container RUNNING (min(ROUNDS, 5) times);
#   - pull + unpack of the 64 MB five-layer image: bench/transfer-bench.sh -n ROUNDS is run and its MB/s ratio
#     taken (-P skips it).
# Prints medians and p95, berth/containerd ratios and PASS/MISS for each target of the issue. Defaults: -n 20
# -c 50; -n 3 -c 3 -P is a smoke run of a minute or two.
#
# Safety: both daemons run from one temp dir (roots, states, sockets), in a mount namespace of their own with a
# tmpfs over /run (held by a `sleep` so that a restarted daemon finds its shims' sockets), so /run/containerd,
# /run/berth, /var/lib/containerd and /var/lib/berth are never touched; container cgroups are /<namespace>/<id>
# under a unique namespace. On exit (also on failure or ^C) every container is killed and deleted, the daemons are
# stopped by PID, shims and monitors naming the temp dir are killed by PID, the cgroups and the temp dir removed.
set -eu
export LC_ALL=C # EPOCHREALTIME with a '.'

rounds=20
count=50
with_pull=1
while getopts n:c:Ph opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    c) count=$OPTARG ;;
    P) with_pull= ;;
    *) sed -n '2,24p' "$0"; exit 2 ;;
    esac
done
for v in "$rounds" "$count"; do
    case $v in *[!0-9]* | '' | 0) echo "scale-bench: -n and -c take a number >= 1" >&2; exit 2 ;; esac
done
. "$(dirname "$0")/lib.sh" scale-bench
bench_need_root
bench_require "apt-get install containerd runc busybox-static; mvn -B -q package -DskipTests" "$repo/bin/berthd" \
    "$repo/bin/berth" "$repo/bin/berth-shim" "$repo/manager/target/berthd.jar" "$repo/shim/target/berth-shim.jar" \
    "$repo/cli/target/berth-cli.jar" /usr/bin/containerd /usr/bin/ctr /usr/bin/containerd-shim-runc-v2 \
    /usr/sbin/runc /bin/busybox /usr/bin/unshare /usr/bin/nsenter /usr/bin/python3

tag=bscale-$$-$RANDOM
bench_setup "$tag" bsc
ns=$tag
image=docker.io/library/busybox:latest
ids_cd=()
ids_bd=()

ctr_cd() { /usr/bin/ctr -a "$work/containerd.sock" -n "$ns" "$@"; }
ctr_bd() { /usr/bin/ctr -a "$work/berthd.sock" -n "$ns" "$@"; }
berth() { "$repo/bin/berth" -a "$work/berthd.sock" -n "$ns" "$@"; }
kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/${3:-status}"; } # PID FIELD [FILE] -> kB

# pids of processes whose command line names our temp dir or our namespace and whose kind is $1
ours() { # go-shim|berth-shim|monitor
    local p cmd comm
    for p in /proc/[0-9]*; do
        cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
        case $cmd in *"$work"* | *"$tag"*) ;; *) continue ;; esac
        comm=$(cat "$p/comm" 2>/dev/null) || continue
        case $1:$comm:$cmd in
        go-shim:*:*containerd-shim-runc-v2*) echo "${p#/proc/}" ;;
        berth-shim:*:*dev.berth.shim.server.Main*) echo "${p#/proc/}" ;;
        monitor:berth-monitor:*) echo "${p#/proc/}" ;;
        esac
    done
}

remove_all() { # SIDE: kill and delete the containers started on that side
    local side=$1 id
    local -n ids=ids_$side
    [ ${#ids[@]} -gt 0 ] || return 0
    for id in "${ids[@]}"; do "ctr_$side" tasks kill -s SIGKILL "$id" >>"$log" 2>&1 || true; done
    for id in "${ids[@]}"; do
        for _ in $(seq 1 100); do
            "ctr_$side" tasks ls 2>/dev/null | grep -q "^$id .*RUNNING" || break
            sleep 0.05
        done
        "ctr_$side" tasks delete -f "$id" >>"$log" 2>&1 || true
        "ctr_$side" containers delete "$id" >>"$log" 2>&1 || true
    done
    ids=()
}

bench_teardown() { # the containers, while the daemons answer
    [ -n "$cd_pid" ] && kill -0 "$cd_pid" 2>/dev/null && remove_all cd
    [ -n "$bd_pid" ] && kill -0 "$bd_pid" 2>/dev/null && remove_all bd
}

# --- the daemons: one private mount namespace with a tmpfs over /run, held by a sleep ----------------------
bench_namespaces
bench_containerd_config
# no network for berthd's containers, as `ctr run` without --cni on the containerd side (bench_start_berthd)
start_cd() { bench_start_containerd; }
start_bd() { bench_start_berthd; }
ready() { # SIDE: the socket answers version and the task list shows every container of that side RUNNING
    local side=$1 want running
    local -n ids=ids_$side
    want=${#ids[@]}
    "ctr_$side" version >/dev/null 2>&1 || return 1
    running=$("ctr_$side" tasks ls 2>/dev/null | grep -c " RUNNING") || true
    [ "$running" -ge "$want" ]
}
wait_ready() { bench_wait "$1 daemon" "$2" ready "$1"; } # SIDE PID
start_cd
start_bd
wait_ready cd "$cd_pid"
wait_ready bd "$bd_pid"

"$repo/scripts/build-busybox-archive.sh" "$work/busybox.tar" "$image" >>"$log" 2>&1
ctr_cd images import "$work/busybox.tar" >>"$log" 2>&1
ctr_bd images import "$work/busybox.tar" >>"$log" 2>&1
mkdir -p "$work/fifo"

# --- latencies, ROUNDS interleaved ------------------------------------------------------------------------
run_rm() { # SIDE ROUND
    timed_us "$1" run_rm_us "ctr_$1" run --rm --fifo-dir "$work/fifo" "$image" "$tag-rm-$1-$2" /bin/true
}
sleeper() { # SIDE ID
    local -n ids=ids_$1
    ids+=("$2")
    "ctr_$1" run -d --fifo-dir "$work/fifo" "$image" "$2" sleep 100000 >>"$log" 2>&1
}

echo "scale-bench: $rounds interleaved rounds of run --rm, exec, berth run --rm, berth --help and version" >&2
run_rm cd warm
run_rm bd warm
berth run --rm "$image" true >>"$log" 2>&1
sleeper cd "$tag-exec-cd"
sleeper bd "$tag-exec-bd"
for i in $(seq 1 "$rounds"); do
    if [ $((i % 2)) = 1 ]; then order="cd bd"; else order="bd cd"; fi
    for side in $order; do
        run_rm "$side" "$i"
        timed_us "$side" exec_us "ctr_$side" tasks exec --fifo-dir "$work/fifo" --exec-id "x$i" "$tag-exec-$side" \
            /bin/true
    done
    timed_us bd berth_run_us berth run --rm "$image" true
    timed_us bd berth_help_us "$repo/bin/berth" --help
    timed_us bd berth_version_us berth version
done
remove_all cd
remove_all bd

sleep 1
record cd rss_idle_kb "$(kb "$cd_pid" VmRSS)"
record bd rss_idle_kb "$(kb "$bd_pid" VmRSS)"

# --- CONTAINERS at once, memory with them running, restart to ready ----------------------------------------
start_many() { # SIDE
    local t0 i pids=()
    now_us; t0=$t
    for i in $(seq 1 "$count"); do
        sleeper "$1" "$tag-many-$1-$i" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || { echo "scale-bench: a ctr run -d on $1 failed" >&2; exit 1; }; done
    now_us; record "$1" start_many_us $((t - t0))
    local -n ids=ids_$1
    for i in $(seq 1 "$count"); do ids+=("$tag-many-$1-$i"); done
}
pss_sum() { # PID... -> kB
    local s=0 p
    for p in "$@"; do s=$((s + $(kb "$p" Pss smaps_rollup))); done
    echo "$s"
}
echo "scale-bench: $count x ctr run -d at once, then memory and restarts with them running" >&2
start_many cd
start_many bd
wait_ready cd "$cd_pid"
wait_ready bd "$bd_pid"
sleep 2 # let the shims settle
go_shims=$(ours go-shim)
berth_shims=$(ours berth-shim)
monitors=$(ours monitor)
# shellcheck disable=SC2086
record cd shim_pss_kb "$(pss_sum $go_shims)"
# shellcheck disable=SC2086
record bd shim_pss_kb "$(pss_sum $berth_shims $monitors)"
echo "scale-bench: shim side: $(echo $go_shims | wc -w) Go shims; $(echo $berth_shims | wc -w) berth-shim" \
    "JVM(s) and $(echo $monitors | wc -w) berth-monitor(s)" >&2
record cd rss_many_kb "$(kb "$cd_pid" VmRSS)"
record bd rss_many_kb "$(kb "$bd_pid" VmRSS)"
for m in $monitors; do
    record bd monitor_rss_kb "$(kb "$m" VmRSS)"
    break
done

restarts=$((rounds < 5 ? rounds : 5))
for i in $(seq 1 "$restarts"); do
    if [ $((i % 2)) = 1 ]; then order="cd bd"; else order="bd cd"; fi
    for side in $order; do
        pid_var=${side}_pid
        kill -KILL "${!pid_var}"
        while kill -0 "${!pid_var}" 2>/dev/null; do sleep 0.01; done
        wait "${!pid_var}" 2>/dev/null || true
        now_us; t0=$t
        "start_$side"
        wait_ready "$side" "${!pid_var}"
        now_us; record "$side" restart_us $((t - t0))
    done
done
remove_all cd
remove_all bd

# --- pull + unpack, from transfer-bench.sh -----------------------------------------------------------------
if [ -n "$with_pull" ]; then
    echo "scale-bench: pull + unpack: bench/transfer-bench.sh -n $rounds" >&2
    "$repo/bench/transfer-bench.sh" -n "$rounds" | tee "$work/transfer.out" >&2
    ratio=$(awk '/^  throughput/ { for (i = 1; i <= NF; i++) if ($i ~ /x$/) { sub(/x$/, "", $i); print $i } }' \
        "$work/transfer.out")
    [ -n "$ratio" ] && record bd pull_ratio "$ratio"
fi

python3 "$repo/bench/scale-summarize.py" "$samples" "$count"
