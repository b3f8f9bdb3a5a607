# bench/lib.sh: the set-up and clean-up the bench scripts share. Sourced after a script has parsed its options:
#
#   . "$(dirname "$0")/lib.sh" NAME      # NAME (e.g. scale-bench) prefixes every message
#   bench_need_root
#   bench_require "HINT" FILE...         # "NAME: missing FILE (HINT)" and exit 1 for the first one missing
#   bench_setup TAG PREFIX               # the temp dir /tmp/PREFIX.XXXXXX and the clean-up on exit
#   bench_namespaces [--net] [SHELL]     # the daemons' mount namespace (a tmpfs over /run), held by a sleep
#   bench_containerd_config; bench_start_containerd [BINARY]
#   bench_berthd_config [BRIDGE]; bench_start_berthd
#   bench_wait WHAT PID COMMAND...       # until COMMAND succeeds; exit 1 if PID dies or after 30 s
#
# TAG is the run's unique name: the mount's source, the cgroup parent (TAG/...) and usually the containerd/berth
# namespace. The daemons run in the holder's namespaces through nsenter, which execs them: cd_pid and bd_pid are
# the daemons' own pids. A daemon without a network namespace of its own shares the host's, so berthd's bridge
# must be "none" there (no berth0, no FORWARD rules, no ip_forward change; masquerade and upstream DNS are off
# always: nothing may leave the machine).
#
# On exit (also on failure or ^C) the clean-up runs, with set +e: the script's own bench_teardown if it defines one
# (its containers, while the daemons still answer), then every pid named in bench_daemons (names of variables, so
# a restarted daemon's new pid is stopped) by TERM and after 10 s KILL, then every process whose command line
# names the temp dir (shims, monitors) by KILL, the holder, the cgroups named TAG, and the temp dir, unless a mount
# is still left under it. A failed run prints the tail of its logs first. Only pids this script started are killed.
#
# Globals it owns (a script reads them, never reuses the names): repo, work, samples, log, holder, cd_pid, bd_pid,
# t (now_us) and bench_*. Measuring: now_us, record SIDE METRIC VALUE, timed_us SIDE METRIC COMMAND...,
# bench_median_p95.

bench=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=
bench_tag=
holder=
cd_pid=
bd_pid=
bench_daemons=()
bench_enter=()

bench_die() { echo "$bench: $*" >&2; exit 1; }

bench_need_root() { [ "$(id -u)" = 0 ] || bench_die "must run as root"; }

bench_require() { # HINT FILE...
    local f
    for f in "${@:2}"; do
        [ -e "$f" ] || bench_die "missing $f ($1)"
    done
}

bench_setup() { # TAG PREFIX: work (short: shim sockets live under it, sockaddr_un holds 107 bytes), samples, log
    bench_tag=$1
    work=$(mktemp -d "/tmp/$2.XXXXXX")
    chmod 0711 "$work"
    samples=$work/samples
    log=$work/log
    : >"$samples"
    : >"$log"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_stop_pid() { # PID: TERM, then KILL after 10 s
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null
}

bench_kill_leftovers() { # every process whose command line names the temp dir (not the holder); waits for them
    local p cmd killed=()
    for p in /proc/[0-9]*; do
        cmd=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
        case $cmd in *"$work"*) ;; *) continue ;; esac
        [ "${p#/proc/}" != "$holder" ] || continue
        echo "$bench: killing leftover ${p#/proc/}" >&2
        kill -KILL "${p#/proc/}" 2>/dev/null && killed+=("${p#/proc/}")
    done
    # a killed JVM takes a moment to exit, and its cgroup cannot be removed before
    for p in "${killed[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    done
}

bench_cleanup() {
    local status=$? i v m
    trap - EXIT INT TERM
    set +e
    if declare -F bench_teardown >/dev/null; then bench_teardown; fi
    for ((i = ${#bench_daemons[@]} - 1; i >= 0; i--)); do
        v=${bench_daemons[i]}
        bench_stop_pid "${!v}"
    done
    bench_kill_leftovers
    sleep 0.2
    bench_stop_pid "$holder"
    # cgroups: the leaves go with their containers; the parents named TAG, deepest first, only ours
    find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -depth -type d \( -name "$bench_tag" -o -path "*/$bench_tag/*" \) \
        -exec rmdir {} \; 2>/dev/null
    if [ "$status" != 0 ]; then # before the temp dir goes: the logs are in it
        echo "$bench: failed; last output:" >&2
        tail -n 20 "$log" >&2 2>/dev/null
        for m in "$work"/*.log; do [ -s "$m" ] && tail -n 5 "$m" >&2; done
    fi
    grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
    if grep -q " $work" /proc/self/mountinfo; then
        echo "$bench: mounts left under $work, not removing it" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}

# The daemons' namespaces, held by a sleep (holder): a mount namespace with a tmpfs over /run, so /run/containerd,
# /run/berth, /run/runc and /run/containers of the host are never touched; with --net a network namespace with only
# lo too (nothing can leave the machine). SHELL runs in them before the sleep (e.g. more mounts).
bench_namespaces() { # [--net] [SHELL]
    local net=
    if [ "${1:-}" = --net ]; then net=--net; shift; fi
    # shellcheck disable=SC2086
    /usr/bin/unshare --mount $net --propagation private /bin/sh -c "mount -t tmpfs -o mode=0755 $bench_tag /run \
        ${net:+&& ip link set lo up} ${1:+&& $1} && exec sleep 1000000" >>"$log" 2>&1 &
    holder=$!
    bench_enter=(-t "$holder" -m ${net:+-n})
    for _ in $(seq 1 100); do
        [ "$(cat "/proc/$holder/comm" 2>/dev/null)" = sleep ] && return 0
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.05
    done
    bench_die "no private namespaces"
}

bench_in() { /usr/bin/nsenter "${bench_enter[@]}" -- "$@"; } # COMMAND...: run in the daemons' namespaces

bench_containerd_config() { # as integration-tests' PrivateContainerd: root, state, sockets under the temp dir
    cat >"$work/containerd.toml" <<TOML
version = 2
root = "$work/cd/root"
state = "$work/cd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$work/containerd.sock"
[ttrpc]
  address = "$work/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$work/cd/opt"
TOML
}

bench_start_containerd() { # [BINARY]: containerd on $work/containerd.sock; cd_pid
    [ -n "$holder" ] || bench_die "containerd: no namespaces (bench_namespaces first)"
    # nsenter execs the daemon and no function wraps it in a subshell: $! is the daemon's own pid
    /usr/bin/nsenter "${bench_enter[@]}" -- "${1:-/usr/bin/containerd}" --config "$work/containerd.toml" \
        --log-level warn >>"$work/containerd.log" 2>&1 &
    cd_pid=$!
    case " ${bench_daemons[*]} " in *" cd_pid "*) ;; *) bench_daemons+=(cd_pid) ;; esac
}

bench_berthd_config() { # [BRIDGE]: the containers' default bridge, "none" (default) unless in a network namespace
    local bridge=${1:-none}
    case " ${bench_enter[*]} " in
    *" -n "*) ;;
    *) [ "$bridge" = none ] || bench_die "berthd shares the host's network namespace: its bridge must be none" ;;
    esac
    printf '[berth.network]\nbridge = "%s"\nmasquerade = false\nupstream_dns = false\n' "$bridge" \
        >"$work/berthd.toml"
}

bench_start_berthd() { # berthd on $work/berthd.sock (its Docker API on $work/docker.sock); bd_pid
    [ -n "$holder" ] || bench_die "berthd: no namespaces (bench_namespaces first)"
    [ -e "$work/berthd.toml" ] || bench_berthd_config none
    /usr/bin/nsenter "${bench_enter[@]}" -- "$repo/bin/berthd" --root "$work/bd/root" --state "$work/bd/state" \
        --address "$work/berthd.sock" --config "$work/berthd.toml" --log-level warn >>"$work/berthd.log" 2>&1 &
    bd_pid=$!
    case " ${bench_daemons[*]} " in *" bd_pid "*) ;; *) bench_daemons+=(bd_pid) ;; esac
}

bench_wait() { # WHAT PID COMMAND...: until COMMAND succeeds, 30 s at most; exit 1 if PID dies
    for _ in $(seq 1 600); do
        "${@:3}" >/dev/null 2>&1 && return 0
        kill -0 "$2" 2>/dev/null || bench_die "the $1 died"
        sleep 0.05
    done
    bench_die "the $1 was not ready after 30 s"
}

# --- measuring: EPOCHREALTIME (LC_ALL=C: with a '.'), no fork around the measured command -------------------
now_us() { t=${EPOCHREALTIME/./}; }
record() { echo "$1 $2 $3" >>"$samples"; } # SIDE METRIC VALUE
timed_us() { # SIDE METRIC COMMAND...: records the command's microseconds; its output goes to the log
    local t0
    now_us; t0=$t
    "${@:3}" >>"$log" 2>&1 || bench_die "$1 $2 failed: ${*:3}"
    now_us; record "$1" "$2" $((t - t0))
}
bench_median_p95() { # numbers on stdin, one a line -> "MEDIAN P95"
    sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.95+0.999)]; if (p=="") p=a[NR]; print m, p}'
}
