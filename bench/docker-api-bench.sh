#!/bin/bash
# docker-api-bench.sh: issue 14's benchmark, berthd's Docker API against containerd 1.6 and podman 4.3.
#
#   sudo bench/docker-api-bench.sh [-n ROUNDS] [-t STARTS]
#
# One run, all three engines up at once, interleaved round by round (the order alternates):
#   - `docker run --rm busybox true` (Debian's docker CLI 20.10) through berthd's docker.sock against
#     `ctr run --rm busybox true` on containerd: ROUNDS each;
#   - Testcontainers (2.0, in a JVM of its own: integration-tests' TestcontainersStartBench) starting a busybox
#     GenericContainer with a log wait strategy through berthd's docker.sock against podman's API service
#     (`podman system service`): per round one JVM per engine, an untimed first start, then STARTS timed ones.
# Prints medians and p95, the ratios and PASS/MISS against the issue's targets (Testcontainers' start through
# berthd <= 1.0x through podman; docker run --rm through berthd is reported against ctr run --rm, no target).
# Defaults: -n 20 -t 3; -n 2 -t 1 is a smoke run of a few minutes.
#
# Set-up: every engine runs from one temp dir (roots, states, sockets) inside a private network namespace with
# only lo (nothing can leave the machine) and a private mount namespace with a tmpfs over /run (held by a
# `sleep`), so /run/containerd, /run/berth, /run/containers, /var/lib/* of the host are never touched. berthd's
# containers have no network, as `ctr run` without --cni; podman's default network is none too
# (containers.conf netns = "none"), with --cgroup-manager cgroupfs and default_ulimits within this machine's
# limits. busybox comes from scripts/build-busybox-archive.sh, loaded into each engine: no registry, no network.
# On exit (also on failure or ^C) the containers are removed, the engines stopped by PID, the namespaces and the
# temp dir removed.
set -eu
export LC_ALL=C # EPOCHREALTIME with a '.'

rounds=20
starts=3
while getopts n:t:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    t) starts=$OPTARG ;;
    *) sed -n '2,25p' "$0"; exit 2 ;;
    esac
done
for v in "$rounds" "$starts"; do
    case $v in *[!0-9]* | '' | 0) echo "docker-api-bench: -n and -t take a number >= 1" >&2; exit 2 ;; esac
done
. "$(dirname "$0")/lib.sh" docker-api-bench
bench_need_root
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
bench_require "apt-get install containerd runc podman busybox-static; mvn -B -q package -DskipTests" \
    "$repo/bin/berthd" "$repo/manager/target/berthd.jar" "$repo/integration-tests/target/test-classes" \
    /usr/bin/containerd /usr/bin/ctr /usr/sbin/runc /usr/bin/podman /bin/busybox /usr/bin/unshare \
    /usr/bin/nsenter /usr/sbin/ip /usr/bin/python3 "$java"

tag=bdapi-$$-$RANDOM
bench_setup "$tag" bda
ns=$tag
image=docker.io/library/busybox:latest
pm_pid=

ctr_cd() { /usr/bin/ctr -a "$work/containerd.sock" -n "$ns" "$@"; }
docker_bd() { DOCKER_HOST="unix://$work/docker.sock" DOCKER_CONFIG="$work/docker-config" "$docker" "$@"; }
podman_() {
    CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf" \
        bench_in /usr/bin/podman --root "$work/pm/root" --runroot "$work/pm/run" --cgroup-manager cgroupfs "$@"
}
bench_teardown() { # the containers, while the engines answer
    if [ -n "$bd_pid" ] && kill -0 "$bd_pid" 2>/dev/null; then
        for id in $(docker_bd ps -aq 2>/dev/null); do docker_bd rm -f "$id" >>"$log" 2>&1; done
    fi
    if [ -n "$pm_pid" ] && kill -0 "$pm_pid" 2>/dev/null; then
        podman_ rm -af -t 0 >>"$log" 2>&1
    fi
}

# --- the docker CLI (client binary only) and the Testcontainers classpath ----------------------------------
docker=$repo/integration-tests/target/docker-cli/docker
if [ ! -x "$docker" ]; then
    mkdir -p "$work/deb" && (cd "$work/deb" && apt-get download docker.io >>"$log" 2>&1)
    dpkg -x "$work"/deb/docker.io_*.deb "$work/deb/tree"
    docker=$work/docker && cp "$work/deb/tree/usr/bin/docker" "$docker"
fi
cp_file=$repo/integration-tests/target/bench-classpath.txt
if [ ! -s "$cp_file" ]; then
    echo "docker-api-bench: resolving the Testcontainers classpath (once)" >&2
    (cd "$repo" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} mvn -B -ntp -o -q -pl integration-tests -am \
        test-compile dependency:build-classpath \
        -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >>"$log" 2>&1)
fi
classpath=$repo/integration-tests/target/test-classes:$(cat "$cp_file")

# --- the namespaces: a network namespace with lo only, a mount namespace with a tmpfs over /run -----------
bench_namespaces --net

# --- the engines -----------------------------------------------------------------------------------------
bench_containerd_config
bench_start_containerd
bench_start_berthd

mkdir -p "$work/pm/tmp" "$work/pm/net" "$work/docker-config" "$work/home"
cat >"$work/storage.conf" <<TOML
[storage]
driver = "overlay"
graphroot = "$work/pm/root"
runroot = "$work/pm/run"
TOML
cat >"$work/containers.conf" <<TOML
[containers]
netns = "none"
default_ulimits = ["nofile=$(ulimit -Sn):$(ulimit -Sn)", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/pm/events.log"
tmp_dir = "$work/pm/tmp"
runtime = "runc"
[network]
network_config_dir = "$work/pm/net"
TOML
CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf" \
    /usr/bin/nsenter "${bench_enter[@]}" -- /usr/bin/podman --root "$work/pm/root" --runroot "$work/pm/run" \
    --cgroup-manager cgroupfs system service --time 0 "unix://$work/podman.sock" >>"$work/podman.log" 2>&1 &
pm_pid=$!
bench_daemons+=(pm_pid)

bench_wait "engine containerd" "$cd_pid" ctr_cd version
bench_wait "engine berthd" "$bd_pid" docker_bd version
bench_wait "engine podman" "$pm_pid" curl -sf --unix-socket "$work/podman.sock" http://d/_ping

"$repo/scripts/build-busybox-archive.sh" "$work/busybox.tar" "$image" >>"$log" 2>&1
ctr_cd images import "$work/busybox.tar" >>"$log" 2>&1
docker_bd load -i "$work/busybox.tar" >>"$log" 2>&1
podman_ load -i "$work/busybox.tar" >>"$log" 2>&1
mkdir -p "$work/fifo"

# --- rounds ------------------------------------------------------------------------------------------------
run_rm() { # ENGINE ROUND (the round "warm" is recorded apart)
    local metric=run_rm_us
    [ "$2" = warm ] && metric=warm_us
    case $1 in
    containerd)
        timed_us containerd "$metric" ctr_cd run --rm --fifo-dir "$work/fifo" "$image" "$tag-$2" /bin/true ;;
    berthd) timed_us berthd "$metric" docker_bd run --rm busybox true ;;
    esac
}
tc_start() { # ENGINE SOCKET
    local out
    out=$(cd "$work/home" && HOME="$work/home" DOCKER_HOST="unix://$2" TESTCONTAINERS_RYUK_DISABLED=true \
        TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 "$java" -cp "$classpath" \
        dev.berth.it.dockerapi.TestcontainersStartBench "$starts" 2>>"$log") \
        || { echo "docker-api-bench: Testcontainers through $1 failed" >&2; exit 1; }
    echo "$out" | awk -v e="$1" '$1 == "start_us" { print e, "tc_start_us", $2 }' >>"$samples"
}

echo "docker-api-bench: $rounds interleaved rounds: run --rm, then Testcontainers x $starts per engine" >&2
run_rm containerd warm
run_rm berthd warm
for i in $(seq 1 "$rounds"); do
    if [ $((i % 2)) = 1 ]; then a=containerd; b=berthd; else a=berthd; b=containerd; fi
    run_rm "$a" "$i"
    run_rm "$b" "$i"
    if [ $((i % 2)) = 1 ]; then
        tc_start berthd "$work/docker.sock"
        tc_start podman "$work/podman.sock"
    else
        tc_start podman "$work/podman.sock"
        tc_start berthd "$work/docker.sock"
    fi
done

PYTHONPATH="$repo/bench" python3 - "$samples" <<'PY'
import statistics, sys
from benchstats import p95, read_samples

samples = read_samples(sys.argv[1])

ROWS = [  # label, metric, berthd's, the reference engine, target ratio of the medians (None: reported only)
    ("docker run --rm busybox true vs ctr run --rm", "run_rm_us", "berthd", "containerd", None),
    ("Testcontainers GenericContainer start", "tc_start_us", "berthd", "podman", 1.0),
]
print(f"{'measurement':48} {'engine':10} {'n':>3} {'median ms':>10} {'p95 ms':>8}")
for label, metric, ours, ref in [(r[0], r[1], r[2], r[3]) for r in ROWS]:
    for engine in (ours, ref):
        xs = samples.get((engine, metric), [])
        if xs:
            print(f"{label:48} {engine:10} {len(xs):3d} {statistics.median(xs) / 1000:10.1f} "
                  f"{p95(xs) / 1000:8.1f}")
print()
for label, metric, ours, ref, target in ROWS:
    a, b = samples.get((ours, metric)), samples.get((ref, metric))
    if not a or not b:
        print(f"{label}: no samples")
        continue
    ratio = statistics.median(a) / statistics.median(b)
    verdict = "" if target is None else (" PASS" if ratio <= target else " MISS") + f" (target <= {target:.1f}x)"
    print(f"{label}: berthd/{ref} = {ratio:.2f}x{verdict}")
PY
