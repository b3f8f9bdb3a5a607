#!/usr/bin/env python3
"""Summarizes shim-bench.sh's samples: latency (median, p95, berth/go), memory, and the issue's targets.

Input (argv[1]): one sample a line, "<shim> <metric> <value>", shim being go, berth, or spare (berth-shim with a
warm spare); run_us in microseconds, rss_* and pss_* in kB. Exit status 0 whatever the targets say (they are printed).
"""
import statistics
import sys

from benchstats import p95, read_samples


def main():
    samples = read_samples(sys.argv[1])

    def med(shim, metric):
        xs = samples.get((shim, metric))
        return statistics.median(xs) if xs else float("nan")

    go_run, berth_run = samples[("go", "run_us")], samples[("berth", "run_us")]
    print()
    print("%-44s | %9s %9s | %9s %9s | %9s" % ("measurement (berth-shim vs containerd-shim-runc-v2)", "go med",
                                                  "go p95", "berth med", "berth p95", "berth/go"))
    print("-" * 100)
    print("%-44s | %9.1f %9.1f | %9.1f %9.1f | %8.2fx" % (
        "ctr run --rm busybox /bin/true (ms, n=%d)" % len(berth_run), med("go", "run_us") / 1000,
        p95(go_run) / 1000, med("berth", "run_us") / 1000, p95(berth_run) / 1000,
        med("berth", "run_us") / med("go", "run_us")))
    spare_run = samples.get(("spare", "run_us"))
    if spare_run:
        print("%-44s | %9s %9s | %9.1f %9.1f | %8.2fx" % (
            "  the same, berth-shim with a warm spare (ms)", "", "", med("spare", "run_us") / 1000,
            p95(spare_run) / 1000, med("spare", "run_us") / med("go", "run_us")))
    rows = [
        ("RSS, one shim, one container (MB)", "rss_one"),
        ("PSS, one shim, one container (MB)", "pss_one"),
        ("RSS per container, group of 10 (MB)", "rss_group_per"),
        ("PSS per container, group of 10 (MB)", "pss_group_per"),
    ]
    for label, metric in rows:
        g, b = med("go", metric) / 1024, med("berth", metric) / 1024
        print("%-44s | %9.1f %9s | %9.1f %9s | %8.2fx" % (label, g, "", b, "", b / g))
    print("  (group of 10: berth-shim serves all 10 containers in one process; go: 10 containerd-shim-runc-v2)")
    if samples.get(("spare", "pss_idle")):
        print("%-44s | %9s %9s | %9.1f %9s |" % ("RSS of the idle spare, once per containerd (MB)", "", "",
                                                 med("spare", "rss_idle") / 1024, ""))
        print("%-44s | %9s %9s | %9.1f %9s |" % ("PSS of the idle spare, once per containerd (MB)", "", "",
                                                 med("spare", "pss_idle") / 1024, ""))

    targets = [
        ("end-to-end latency <= 1.5x go shim (medians)", med("berth", "run_us") / med("go", "run_us"), 1.5),
        ("PSS per container, alone <= 8x go shim", med("berth", "pss_one") / med("go", "pss_one"), 8.0),
        ("PSS per container, group of 10 <= 1x 10 go shims", med("berth", "pss_group_per")
         / med("go", "pss_group_per"), 1.0),
    ]
    if spare_run:
        targets.insert(1, ("  the same with a warm spare", med("spare", "run_us") / med("go", "run_us"), 1.5))
    print()
    for label, ratio, limit in targets:
        print("%-4s %-48s %6.2fx (limit %.1fx)" % ("PASS" if ratio <= limit else "MISS", label, ratio, limit))


if __name__ == "__main__":
    main()
