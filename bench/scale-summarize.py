#!/usr/bin/env python3
"""Summarizes scale-bench.sh's samples: medians, p95, berth/containerd ratios and issue 12's targets.

Input: argv[1] one sample a line, "<side> <metric> <value>", side cd (containerd + Go shim + runc) or bd (berthd +
berth-shim, and the berth CLI rows); *_us in microseconds, *_kb in kB, pull_ratio a ratio of MB/s. argv[2] the
number of containers started at once. Exit status 0 whatever the targets say (they are printed).
"""
import math
import statistics
import sys

from benchstats import p95, read_samples


def main():
    samples = read_samples(sys.argv[1])
    count = sys.argv[2]

    def med(side, metric):
        xs = samples.get((side, metric))
        return statistics.median(xs) if xs else float("nan")

    def q95(side, metric):
        xs = samples.get((side, metric))
        return p95(xs) if xs else float("nan")

    print()
    print("%-50s | %9s %9s | %9s %9s | %8s" % ("measurement (medians, p95)", "containerd", "p95", "berthd",
                                                "p95", "ratio"))
    print("-" * 105)
    rows = [
        ("ctr run --rm busybox /bin/true (ms)", "run_rm_us", "run_rm_us", 1000),
        ("ctr task exec /bin/true (ms)", "exec_us", "exec_us", 1000),
        ("berth run --rm busybox true vs ctr run --rm (ms)", "run_rm_us", "berth_run_us", 1000),
        ("%s x ctr run -d at once, total (ms)" % count, "start_many_us", "start_many_us", 1000),
        ("PSS shim side with %s containers (MB)" % count, "shim_pss_kb", "shim_pss_kb", 1024),
        ("daemon RSS idle (MB)", "rss_idle_kb", "rss_idle_kb", 1024),
        ("daemon RSS with %s containers (MB)" % count, "rss_many_kb", "rss_many_kb", 1024),
        ("SIGKILL with %s running, restart to ready (ms)" % count, "restart_us", "restart_us", 1000),
    ]
    ratios = {}
    for label, cd_metric, bd_metric, unit in rows:
        c, b = med("cd", cd_metric), med("bd", bd_metric)
        ratios[bd_metric if bd_metric != cd_metric else cd_metric] = b / c if c else float("nan")
        print("%-50s | %9.1f %9.1f | %9.1f %9.1f | %7.2fx" % (label, c / unit, q95("cd", cd_metric) / unit,
                                                             b / unit, q95("bd", bd_metric) / unit, b / c))
    for label, metric, unit in [("berth --help (ms)", "berth_help_us", 1000),
                                ("berth version (ms)", "berth_version_us", 1000),
                                ("RSS of one berth-monitor (MB)", "monitor_rss_kb", 1024)]:
        if samples.get(("bd", metric)):
            print("%-50s | %9s %9s | %9.1f %9.1f |" % (label, "", "", med("bd", metric) / unit,
                                                        q95("bd", metric) / unit))
        else:
            print("%-50s | %9s %9s | %9s %9s |" % (label, "", "", "none", ""))
    pull = med("bd", "pull_ratio")
    print("%-50s | %9s %9s | %9s %9s | %7.2fx" % ("pull + unpack MB/s (bench/transfer-bench.sh)", "", "", "", "",
                                                 pull))

    targets = [
        ("ctr run --rm through berthd vs containerd", ratios["run_rm_us"], "<=", 0.7),
        ("%s x ctr run -d at once, total" % count, ratios["start_many_us"], "<=", 0.7),
        ("PSS shim side with %s containers" % count, ratios["shim_pss_kb"], "<=", 0.5),
        ("berthd RSS idle vs containerd", ratios["rss_idle_kb"], "<=", 2.0),
        ("berthd RSS with %s containers vs containerd" % count, ratios["rss_many_kb"], "<=", 2.0),
        ("restart to ready with %s running" % count, ratios["restart_us"], "<=", 3.0),
        ("berth run --rm vs ctr run --rm on containerd", ratios["berth_run_us"], "<=", 2.0),
    ]
    print()
    for label, value, op, limit in targets:
        ok = value <= limit if op == "<=" else value >= limit
        print("%-4s %-52s %6.2fx (%s %.1fx)" % ("PASS" if ok else "MISS", label, value, op, limit))
    for label, metric, limit in [("berth --help wall time", "berth_help_us", 80),
                                 ("berth version wall time", "berth_version_us", 120)]:
        ms = med("bd", metric) / 1000
        print("%-4s %-52s %6.1f ms (<= %d ms)" % ("PASS" if ms <= limit else "MISS", label, ms, limit))
    if not math.isnan(pull):
        print("%-4s %-52s %6.2fx (>= 2.0x)" % ("PASS" if pull >= 2.0 else "MISS", "pull + unpack MB/s vs containerd",
                                               pull))
    else:
        print("%-4s %-52s (not measured: -P)" % ("----", "pull + unpack MB/s vs containerd"))


if __name__ == "__main__":
    main()
