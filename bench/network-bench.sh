#!/bin/bash
# network-bench.sh: issue 13's benchmark, berthd's bridge networking vs containerd 1.6's `ctr run --cni`.
#
#   sudo bench/network-bench.sh [-n ROUNDS] [-c CONTAINERS]
#
# One run, both stacks up at once in one private network namespace (no uplink) and mount namespace, interleaved
# round by round (the order alternates). What a bridge network adds to a container:
#   - start + removal: `berth run --rm [--network none] busybox true` (berthd's default bridge berth0 otherwise)
#     against `ctr run --rm [--cni] busybox true`; ROUNDS each;
#   - start: `berth run -d [--network none] … sleep` against `ctr run -d [--cni] … sleep`; removal: `berth rm -f`
#     with and without a network; containerd's removal is its start+removal minus its start (ctr tears a network
#     down only in `run --rm`);
#   - CONTAINERS containers started at once, with and without a network, on each side (total time).
# The added cost is the median with a network minus the median without. Prints medians, p95, the added costs, the
# berth/containerd ratio of each and PASS/MISS against the issue's target (<= 1.0x containerd's added cost).
# Defaults: -n 20 -c 50; -n 2 -c 2 is a smoke run.
#
# Setup: containerd's CNI configuration is a bridge list written here (bridge `cnib0` 10.88.0.0/16 with host-local,
# portmap, firewall: the plugins berthd's lists use; ipMasq off) in /etc/cni/net.d, and /opt/cni/bin points at
# Debian's plugins (/usr/lib/cni), both in overlays over /etc, /opt and /var/lib (where libcni keeps its cache)
# that exist only in the bench's mount namespace. berthd runs with its default bridge, masquerade and upstream DNS
# off. Safety: everything lives in one temp dir and in namespaces held by a `sleep`; /run is a tmpfs there, so
# /run/containerd, /run/berth, /var/lib/containerd, /var/lib/berth and the host's network are never touched. On exit
# (also on failure or ^C) the containers are removed, the daemons stopped by PID, shims naming the temp dir killed
# by PID, the namespaces end with the holder, and the cgroups and the temp dir are removed.
set -eu
export LC_ALL=C # EPOCHREALTIME with a '.'

rounds=20
count=50
while getopts n:c:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    c) count=$OPTARG ;;
    *) sed -n '2,27p' "$0"; exit 2 ;;
    esac
done
for v in "$rounds" "$count"; do
    case $v in *[!0-9]* | '' | 0) echo "network-bench: -n and -c take a number >= 1" >&2; exit 2 ;; esac
done
. "$(dirname "$0")/lib.sh" network-bench
bench_need_root
bench_require "apt-get install containerd runc containernetworking-plugins; mvn -B -q package -DskipTests" \
    "$repo/bin/berthd" "$repo/bin/berth" "$repo/manager/target/berthd.jar" "$repo/cli/target/berth-cli.jar" \
    /usr/bin/containerd /usr/bin/ctr /usr/bin/containerd-shim-runc-v2 /usr/sbin/runc /usr/lib/cni/bridge \
    /usr/lib/cni/portmap /usr/lib/cni/firewall /usr/lib/cni/host-local /usr/bin/unshare /usr/bin/nsenter \
    /usr/bin/python3

tag=bnet-$$-$RANDOM
bench_setup "$tag" bnb
ns=$tag
image=docker.io/library/busybox:latest
seq_id=0

ctr_cd() { bench_in /usr/bin/ctr -a "$work/containerd.sock" -n "$ns" "$@"; }
berth() { "$repo/bin/berth" -a "$work/berthd.sock" -n "$ns" "$@"; }
next_id() { seq_id=$((seq_id + 1)); id=$tag-$seq_id; }

bench_teardown() { # the containers, while the daemons answer
    if [ -n "$cd_pid" ] && kill -0 "$cd_pid" 2>/dev/null; then
        for c in $(ctr_cd tasks ls -q 2>/dev/null); do ctr_cd tasks kill -s SIGKILL "$c" >>"$log" 2>&1; done
        sleep 0.5
        for c in $(ctr_cd containers ls -q 2>/dev/null); do
            ctr_cd tasks delete -f "$c" >>"$log" 2>&1
            ctr_cd containers delete "$c" >>"$log" 2>&1
        done
    fi
    if [ -n "$bd_pid" ] && kill -0 "$bd_pid" 2>/dev/null; then
        ids=$(berth ps -a -q 2>/dev/null)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || berth rm -f $ids >>"$log" 2>&1
    fi
}

# --- containerd's CNI configuration, in the overlays' upper dirs -------------------------------------------
mkdir -p "$work/ov/etc/up/cni/net.d" "$work/ov/etc/wk" "$work/ov/opt/up/cni/bin" "$work/ov/opt/wk" \
    "$work/ov/varlib/up" "$work/ov/varlib/wk" "$work/cd-ipam" "$work/fifo"
for p in /usr/lib/cni/*; do ln -s "$p" "$work/ov/opt/up/cni/bin/"; done
cat >"$work/ov/etc/up/cni/net.d/10-bench.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "bench",
  "plugins": [
    {"type": "bridge", "bridge": "cnib0", "isGateway": true, "isDefaultGateway": true, "ipMasq": false,
     "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$work/cd-ipam", "ranges": [[{"subnet": "10.88.0.0/16"}]]}},
    {"type": "portmap", "snat": true, "capabilities": {"portMappings": true}},
    {"type": "firewall", "backend": "iptables"}
  ]
}
JSON

# --- the namespaces: a private network (lo only) and mount namespace, held by a sleep ----------------------
overlay() { echo "mount -t overlay $tag-$1 -o lowerdir=$2,upperdir=$work/ov/$1/up,workdir=$work/ov/$1/wk $2"; }
bench_namespaces --net "$(overlay etc /etc) && $(overlay opt /opt) && $(overlay varlib /var/lib)"

bench_containerd_config
bench_berthd_config berth0
bench_start_containerd
bench_start_berthd
bench_wait "daemon containerd" "$cd_pid" ctr_cd version
bench_wait "daemon berthd" "$bd_pid" berth version
"$repo/scripts/build-busybox-archive.sh" "$work/busybox.tar" "$image" >>"$log" 2>&1
ctr_cd images import "$work/busybox.tar" >>"$log" 2>&1
berth load -i "$work/busybox.tar" >>"$log" 2>&1

cd_net() { [ "$1" = net ] && echo --cni || true; }
bd_net() { [ "$1" = net ] || echo --network none; }
# shellcheck disable=SC2046
round() { # SIDE NET(net|none)
    next_id
    if [ "$1" = cd ]; then
        timed_us cd "rm_$2_us" ctr_cd run --rm $(cd_net "$2") --fifo-dir "$work/fifo" "$image" "$id" /bin/true
        next_id
        timed_us cd "start_$2_us" ctr_cd run -d $(cd_net "$2") --fifo-dir "$work/fifo" "$image" "$id" sleep 100000
        ctr_cd tasks kill -s SIGKILL "$id" >>"$log" 2>&1
        for _ in $(seq 1 100); do ctr_cd tasks ls 2>/dev/null | grep -q "^$id .*RUNNING" || break; sleep 0.02; done
        ctr_cd tasks delete -f "$id" >>"$log" 2>&1
        ctr_cd containers delete "$id" >>"$log" 2>&1
    else
        timed_us bd "rm_$2_us" berth run --rm $(bd_net "$2") "$image" true
        timed_us bd "start_$2_us" berth run -d --name "$id" $(bd_net "$2") "$image" sleep 100000
        timed_us bd "removal_$2_us" berth rm -f "$id"
    fi
}

echo "network-bench: $rounds interleaved rounds of run --rm, run -d and rm, with and without a network" >&2
for side in cd bd; do round "$side" net; round "$side" none; done # warm-up, not recorded
: >"$samples"
for i in $(seq 1 "$rounds"); do
    if [ $((i % 2)) = 1 ]; then order="cd bd"; else order="bd cd"; fi
    for side in $order; do
        if [ $((i % 4)) -lt 2 ]; then nets="net none"; else nets="none net"; fi
        for net in $nets; do round "$side" "$net"; done
    done
done

# --- CONTAINERS at once, with and without a network ---------------------------------------------------------
# shellcheck disable=SC2046
many() { # SIDE NET
    local t0 i pids=()
    now_us; t0=$t
    for i in $(seq 1 "$count"); do
        if [ "$1" = cd ]; then
            ctr_cd run -d $(cd_net "$2") --fifo-dir "$work/fifo" "$image" "$tag-many-$2-$i" sleep 100000 \
                >>"$log" 2>&1 &
        else
            berth run -d --name "$tag-many-$2-$i" $(bd_net "$2") "$image" sleep 100000 >>"$log" 2>&1 &
        fi
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || { echo "network-bench: a start of $1 ($2) failed" >&2; exit 1; }; done
    now_us; record "$1" "many_$2_us" $((t - t0))
    if [ "$1" = cd ]; then
        for i in $(seq 1 "$count"); do ctr_cd tasks kill -s SIGKILL "$tag-many-$2-$i" >>"$log" 2>&1; done
        sleep 0.5
        for i in $(seq 1 "$count"); do
            ctr_cd tasks delete -f "$tag-many-$2-$i" >>"$log" 2>&1 || true
            ctr_cd containers delete "$tag-many-$2-$i" >>"$log" 2>&1 || true
        done
    else
        # shellcheck disable=SC2046
        berth rm -f $(seq -f "$tag-many-$2-%g" 1 "$count") >>"$log" 2>&1
    fi
}
echo "network-bench: $count containers at once, with and without a network, on each side" >&2
for side in cd bd; do for net in net none; do many "$side" "$net"; done; done

python3 - "$samples" "$count" <<'PY'
import statistics, sys
from collections import defaultdict

samples = defaultdict(list)
for line in open(sys.argv[1]):
    side, metric, value = line.split()
    samples[(side, metric)].append(int(value) / 1000.0)

def med(side, metric):
    v = samples.get((side, metric))
    return statistics.median(v) if v else float("nan")

def p95(side, metric):
    v = sorted(samples.get((side, metric), []))
    return v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))] if v else float("nan")

names = {"cd": "containerd 1.6 + ctr", "bd": "berthd + berth"}
print("%-34s %12s %12s" % ("metric (ms)", "median", "p95"))
for side in ("cd", "bd"):
    for metric in sorted({m for (s, m) in samples if s == side}):
        print("%-34s %12.1f %12.1f" % (side + " " + metric, med(side, metric), p95(side, metric)))

def added(side, what):
    if what == "removal" and side == "cd":
        return (med("cd", "rm_net_us") - med("cd", "rm_none_us")) - (med("cd", "start_net_us")
                                                                      - med("cd", "start_none_us"))
    return med(side, what + "_net_us") - med(side, what + "_none_us")

print()
print("added cost of a bridge network (median with - median without), ms:")
print("%-30s %14s %14s %8s  %s" % ("", "containerd", "berthd", "ratio", "target <= 1.0x"))
rows = [("start + removal (run --rm)", "rm"), ("start (run -d)", "start"), ("removal", "removal"),
        ("%s at once (total)" % sys.argv[2], "many")]
for label, what in rows:
    cd, bd = added("cd", what), added("bd", what)
    ratio = bd / cd if cd > 0 else float("inf")
    verdict = "PASS" if bd <= cd or bd <= 0 else "MISS"
    print("%-30s %14.1f %14.1f %7.2fx  %s" % (label, cd, bd, ratio, verdict))
PY
