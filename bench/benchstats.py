"""What the bench summaries share: the samples file and the nearest-rank p95.

A samples file has one sample a line, "<side> <metric> <value>" (bench/lib.sh's `record`).
"""
import math
from collections import defaultdict


def read_samples(path):
    """{(side, metric): [value, ...]} of a samples file, the values as floats in file order."""
    samples = defaultdict(list)
    with open(path) as f:
        for line in f:
            side, metric, value = line.split()
            samples[(side, metric)].append(float(value))
    return samples


def p95(xs):
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]  # nearest-rank
