#!/bin/bash
# runtime-bench.sh: berth-runtime vs runc on a busybox /bin/true container.
#
#   sudo bench/runtime-bench.sh [-n ROUNDS] [-w WARMUP]
#
# Measures, interleaved round by round (round i: runc then berth, the next round berth then runc):
#   (a) `run` of /bin/true;  (b) `create`, `start`, `delete` separately (the wait for the container to stop,
#   between start and delete, is not counted);  a `--version` call (the CLI's floor: process/JVM start only).
# Then berth-runtime as a library in one JVM (bench/InProcessBench.java, WARMUP rounds first), compared with
# runc's CLI create+start+delete; and the peak RSS (GNU time %M) of one `run` of each runtime (median of 3) and
# of the in-process JVM. Prints median and p95 per measurement and runtime, berth/runc, and PASS/MISS for the
# targets: CLI run <= 2.5x runc; in-process create+start+delete <= 1.0x runc CLI create+start+delete.
#
# Safety: private --root dirs and bundle under one temp dir, unique container ids and cgroupsPath
# (/berth-bench-<pid>-<random>/...), never /run/runc or /run/containerd; everything is removed on exit.
#
# Environment: RUNC (default /usr/sbin/runc), BERTH_RUNTIME (default bin/berth-runtime of this checkout),
# BERTH_JAVA_HOME (default temurin 25), BENCH_JVM_OPTS (flags of the in-process JVM).
set -eu
export LC_ALL=C # EPOCHREALTIME with a '.'

rounds=30
warmup=5
while getopts n:w:h opt; do
    case $opt in
    n) rounds=$OPTARG ;;
    w) warmup=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
case $rounds$warmup in *[!0-9]*) echo "runtime-bench: -n and -w take numbers" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] || { echo "runtime-bench: -n must be >= 1" >&2; exit 2; }
. "$(dirname "$0")/lib.sh" runtime-bench
bench_need_root
runc=${RUNC:-/usr/sbin/runc}
berth=${BERTH_RUNTIME:-$repo/bin/berth-runtime}
dist=$repo/lowlevel-runtime/target
java_home=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jvm_opts=${BENCH_JVM_OPTS:--XX:+UseSerialGC -Xms8m -Xmx256m -Xss512k -XX:-UsePerfData}

bench_require "build: mvn -B -q package -DskipTests -pl lowlevel-runtime -am; busybox: apt-get install \
busybox-static" "$runc" "$berth" "$dist/berth-runtime.jar" "$dist/berth-init" "$repo/sys/target/libberth-syscall.so" \
    "$java_home/bin/java" /bin/busybox
if [ ! -x /usr/bin/time ]; then
    echo "runtime-bench: installing GNU time" >&2
    apt-get install -y -q time >/dev/null
fi

tag=berth-bench-$$-$RANDOM
bench_setup "$tag" "$tag"
jvm_pid=

# --- cleanup: force-delete whatever is left in our roots (bench/lib.sh removes our cgroups and the temp dir) --
bench_teardown() {
    local pair name bin dir
    # the in-process JVM, if we are interrupted while it runs (by its PID, which we started)
    if [ -n "$jvm_pid" ] && kill -0 "$jvm_pid" 2>/dev/null; then
        kill -KILL "$jvm_pid" 2>/dev/null
        wait "$jvm_pid" 2>/dev/null
    fi
    for pair in "runc:$runc" "berth:$berth" "lib:$berth"; do
        name=${pair%%:*} bin=${pair#*:}
        [ -d "$work/root-$name" ] || continue
        for dir in "$work/root-$name"/*/; do
            [ -d "$dir" ] || continue
            "$bin" --root "$work/root-$name" delete --force "$(basename "$dir")" >/dev/null 2>&1 || true
        done
    done
}

# --- the bundle: busybox-static and its applet symlinks, `runc spec` with /bin/true -------------------------
mkdir -p "$work/rootfs/bin" "$work/root-runc" "$work/root-berth" "$work/root-lib"
cp /bin/busybox "$work/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$work/rootfs/bin/$applet"
done
(cd "$work" && "$runc" spec) # a config.json template in $work
# one bundle per runtime (its own cgroupsPath), one shared read-only rootfs
make_bundle() { # NAME
    mkdir -p "$work/bundle-$1"
    python3 - "$work/config.json" "$work/bundle-$1/config.json" "$work/rootfs" "/$tag/$1" <<'EOF'
import json, sys
src, dst, rootfs, cgroup = sys.argv[1:]
c = json.load(open(src))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["root"] = {"path": rootfs, "readonly": True}
c["linux"]["cgroupsPath"] = cgroup
json.dump(c, open(dst, "w"), indent=2)
EOF
}
make_bundle runc
make_bundle berth
make_bundle lib

# wait until PID is a zombie or gone (the container is stopped)
wait_stopped() {
    local line state
    for _ in $(seq 1 5000); do
        { read -r line </proc/"$1"/stat; } 2>/dev/null || return 0
        state=${line##*) }
        state=${state%% *}
        case $state in Z | X) return 0 ;; esac
        sleep 0.002
    done
    echo "runtime-bench: container process $1 did not stop" >&2
    return 1
}

bin_of() { if [ "$1" = runc ]; then echo "$runc"; else echo "$berth"; fi; }

bench_run() { # NAME ROUND
    local bin id t0
    bin=$(bin_of "$1")
    id=$tag-$1-run-$2
    now_us; t0=$t
    "$bin" --root "$work/root-$1" run --bundle "$work/bundle-$1" "$id" >>"$log" 2>&1
    now_us; record "$1" run $((t - t0))
}

bench_csd() { # NAME ROUND: create, start, (wait), delete
    local bin id t0 t1 t2 t3 pid
    bin=$(bin_of "$1")
    id=$tag-$1-csd-$2
    now_us; t0=$t
    "$bin" --root "$work/root-$1" create --bundle "$work/bundle-$1" --pid-file "$work/pid-$1" "$id" >>"$log" 2>&1
    now_us; t1=$t
    "$bin" --root "$work/root-$1" start "$id" >>"$log" 2>&1
    now_us; t2=$t
    pid=$(cat "$work/pid-$1")
    wait_stopped "$pid"
    now_us; t3=$t
    "$bin" --root "$work/root-$1" delete "$id" >>"$log" 2>&1
    now_us
    record "$1" create $((t1 - t0))
    record "$1" start $((t2 - t1))
    record "$1" delete $((t - t3))
    record "$1" csd $((t1 - t0 + t2 - t1 + t - t3))
}

bench_version() { # NAME
    local bin t0
    bin=$(bin_of "$1")
    now_us; t0=$t
    "$bin" --version >/dev/null 2>>"$log"
    now_us; record "$1" version $((t - t0))
}

bench_rss() { # NAME ROUND
    local bin
    bin=$(bin_of "$1")
    /usr/bin/time -f %M -o "$work/rss" "$bin" --root "$work/root-$1" run --bundle "$work/bundle-$1" \
        "$tag-$1-rss-$2" >>"$log" 2>&1
    record "$1" rss_run "$(tail -n 1 "$work/rss")"
}

# --- (a) (b): interleaved CLI rounds --------------------------------------------------------------------------
echo "runtime-bench: runc: $("$runc" --version | head -n 1)"
echo "runtime-bench: berth: $("$berth" --version | head -n 1) ($berth)"
echo "runtime-bench: $rounds interleaved rounds of run, create/start/delete and --version ..."
# one untimed warm-up each (page cache, first cgroup creation)
bench_run runc warm >/dev/null
bench_run berth warm >/dev/null
: >"$samples"
for i in $(seq 1 "$rounds"); do
    if [ $((i % 2)) = 1 ]; then order="runc berth"; else order="berth runc"; fi
    for rt in $order; do bench_run "$rt" "$i"; done
    for rt in $order; do bench_csd "$rt" "$i"; done
    for rt in $order; do bench_version "$rt"; done
    if [ $((i % 10)) = 0 ]; then echo "runtime-bench:   round $i/$rounds"; fi
done

# --- (d) peak RSS of one run, 3 times each, interleaved ----------------------------------------------------------
echo "runtime-bench: peak RSS of run ..."
for i in 1 2 3; do
    if [ $((i % 2)) = 1 ]; then order="runc berth"; else order="berth runc"; fi
    for rt in $order; do bench_rss "$rt" "$i"; done
done

# --- (c) in-process: berth-runtime as a library in one JVM ------------------------------------------------------
echo "runtime-bench: in-process: $warmup warm-up + $rounds rounds in one JVM ..."
mkdir -p "$work/classes"
"$java_home/bin/javac" -d "$work/classes" -cp "$dist/berth-runtime.jar:$dist/lib/*" "$repo/bench/InProcessBench.java"
aot=""
[ -f "$dist/berth-runtime.aot" ] && aot="-XX:AOTCache=$dist/berth-runtime.aot"
lib_prefix=$tag-lib
# shellcheck disable=SC2086 # word splitting of the JVM flags is intended
/usr/bin/time -f %M -o "$work/rss-jvm" "$java_home/bin/java" $aot $jvm_opts \
    -Xlog:disable -Xlog:all=error:stderr --enable-native-access=ALL-UNNAMED \
    -Dberth.syscall.lib="$repo/sys/target/libberth-syscall.so" \
    -cp "$dist/berth-runtime.jar:$dist/lib/*:$work/classes" InProcessBench "$dist/berth-init" "$work/bundle-lib" \
    "$work/root-lib" "$lib_prefix" "$warmup" "$rounds" >"$work/inproc.out" 2>>"$log" &
jvm_pid=$!
wait "$jvm_pid"
jvm_pid=""
while read -r key a b c d; do
    case $key in
    round)
        record berth-lib create $((b / 1000))
        record berth-lib start $((c / 1000))
        record berth-lib delete $((d / 1000))
        record berth-lib csd $(((b + c + d) / 1000)) ;;
    first_round_ns) record berth-lib csd_first $((a / 1000)) ;;
    init_ns) record berth-lib lib_init $((a / 1000)) ;;
    esac
done <"$work/inproc.out"
record berth-lib rss_jvm "$(tail -n 1 "$work/rss-jvm")"

python3 "$repo/bench/summarize.py" "$samples"
echo
echo "in-process JVM flags: ${aot:+-XX:AOTCache=... }$jvm_opts"
