#!/usr/bin/env python3
"""Summarizes runtime-bench.sh's samples: a side-by-side table (median, p95, berth/runc) and the targets.

Input (argv[1]): one sample a line, "<runtime> <metric> <value>", where runtime is runc, berth or berth-lib;
times are in microseconds, rss_* metrics in kB. Exit status 0 whatever the targets say (they are printed).
"""
import statistics
import sys

from benchstats import p95, read_samples

# Targets from the issue: (label, berth runtime, berth metric, runc metric, max ratio of the medians).
TARGETS = [
    ("CLI run <= 2.5x runc run", "berth", "run", "run", 2.5),
    ("in-process create+start+delete <= 1.0x runc CLI create+start+delete",
     "berth-lib", "csd", "csd", 1.0),
]


def main():
    samples = read_samples(sys.argv[1])

    def stat(rt, metric, scale):
        xs = samples.get((rt, metric))
        if not xs:
            return None
        return statistics.median(xs) / scale, p95(xs) / scale, len(xs)

    rows = [
        # (label, unit, berth runtime, berth metric, runc metric)
        ("run /bin/true (CLI)", "ms", "berth", "run", "run"),
        ("create (CLI)", "ms", "berth", "create", "create"),
        ("start (CLI)", "ms", "berth", "start", "start"),
        ("delete (CLI)", "ms", "berth", "delete", "delete"),
        ("create+start+delete (CLI)", "ms", "berth", "csd", "csd"),
        ("--version (CLI floor)", "ms", "berth", "version", "version"),
        ("in-process create", "ms", "berth-lib", "create", "create"),
        ("in-process start", "ms", "berth-lib", "start", "start"),
        ("in-process delete", "ms", "berth-lib", "delete", "delete"),
        ("in-process c+s+d", "ms", "berth-lib", "csd", "csd"),
        ("in-process c+s+d, cold 1st", "ms", "berth-lib", "csd_first", "csd"),
        ("in-process library init", "ms", "berth-lib", "lib_init", None),
        ("peak RSS of run", "MB", "berth", "rss_run", "rss_run"),
        ("peak RSS in-process JVM", "MB", "berth-lib", "rss_jvm", "rss_run"),
    ]
    print()
    print("%-28s %-5s | %9s %9s | %9s %9s | %11s" % (
        "measurement (berth vs runc)", "unit", "runc med", "runc p95", "berth med", "berth p95", "berth/runc"))
    print("-" * 95)
    for label, unit, brt, bmetric, rmetric in rows:
        scale = 1000.0 if unit == "ms" else 1024.0
        r = stat("runc", rmetric, scale) if rmetric else None
        b = stat(brt, bmetric, scale)
        if b is None:
            continue
        if r is None:  # berth only (no runc counterpart)
            print("%-28s %-5s | %9s %9s | %9.1f %9s | %11s" % (label, unit, "-", "-", b[0], "-", "-"))
            continue
        ratio = b[0] / r[0] if r[0] > 0 else float("inf")
        bp95 = "%9.1f" % b[1] if b[2] > 1 else "%9s" % "-"
        rp95 = "%9.1f" % r[1] if r[2] > 1 else "%9s" % "-"
        print("%-28s %-5s | %9.1f %s | %9.1f %s | %10.2fx" % (label, unit, r[0], rp95, b[0], bp95, ratio))
    n = len(samples.get(("runc", "run"), []))
    print("-" * 95)
    print("rounds: %d interleaved CLI rounds; in-process: %d rounds after warm-up. "
          "In-process rows compare with runc's CLI." % (n, len(samples.get(("berth-lib", "csd"), []))))
    print()
    print("Targets (on medians):")
    for label, brt, bmetric, rmetric, limit in TARGETS:
        r = stat("runc", rmetric, 1000.0)
        b = stat(brt, bmetric, 1000.0)
        if r is None or b is None:
            print("  %-4s %s (no data)" % ("MISS", label))
            continue
        ratio = b[0] / r[0]
        verdict = "PASS" if ratio <= limit else "MISS"
        print("  %-4s %s: %.1f ms vs %.1f ms = %.2fx" % (verdict, label, b[0], r[0], ratio))


if __name__ == "__main__":
    main()
