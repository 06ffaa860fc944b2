#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a make bench results folder into report.md and PNG plots."""
import glob
import json
import os
import subprocess
import sys

R = sys.argv[1]
meta = dict(l.rstrip("\n").split("=", 1) for l in open(f"{R}/meta.txt") if "=" in l)
SCHEDS = [s for s in meta.get("scheds", "").split()]
IOPRIO_IDEAL = {"be0": 180, "be2": 140, "be4": 100, "be7": 40}
CG_IDEAL = {"w100": 100, "w200": 200, "w400": 400}
out = []


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def jobs(w, s):
    j = load(f"{R}/{w}/{s}.json")
    return {x["jobname"]: x for x in j["jobs"]} if j else None


def jain(xs):
    return sum(xs) ** 2 / (len(xs) * sum(x * x for x in xs)) if xs and any(xs) else 0


def table(title, head, rows, best_col=None, lower_better=False):
    """Markdown table; the best value of best_col is marked in bold."""
    out.append(f"\n### {title}\n")
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    vals = [r[best_col] for r in rows if best_col is not None and isinstance(r[best_col], (int, float))]
    best = (min(vals) if lower_better else max(vals)) if vals else None
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            t = f"{c:.3g}" if isinstance(c, float) and abs(c) < 10 else (f"{c:.0f}" if isinstance(c, float) else str(c))
            if i == best_col and c == best:
                t = f"**{t}**"
            cells.append(t)
        out.append("| " + " | ".join(cells) + " |")


def plot(name, script):
    with open(f"{R}/{name}.gp", "w") as f:
        f.write(f"set terminal pngcairo size 900,480 font 'sans,10'\nset output '{R}/{name}.png'\n")
        f.write("set grid ytics\nset key outside right top\n" + script)
    subprocess.run(["gnuplot", f"{R}/{name}.gp"], check=False)
    out.append(f"\n![{name}]({name}.png)\n")


def bars(name, title, ylabel, cols, rows):
    """rows: [(sched, v1, v2, ...)], one bar per column per scheduler."""
    dat = f"{R}/{name}.dat"
    with open(dat, "w") as f:
        for r in rows:
            f.write(" ".join([r[0]] + [f"{v}" for v in r[1:]]) + "\n")
    using = ", ".join(f"'{dat}' using {i + 2}:xtic(1) title '{c}'" for i, c in enumerate(cols))
    plot(name, f"set title '{title}'\nset ylabel '{ylabel}'\nset style data histograms\n"
               f"set style fill solid 0.8 border -1\nset boxwidth 0.9\nset yrange [0:*]\nplot {using}\n")


out.append(f"# elvx benchmark report\n")
out.append(f"Kernel {meta.get('kernel')}, {meta.get('cpus')} vCPUs under QEMU TCG, {meta.get('date')}.")
out.append(f"Fast device: {meta.get('fast')}. Rotating disk: {meta.get('disk')}. "
           f"{meta.get('runtime')} s per overhead run.\n")
out.append("**Emulation caveat**: the guest runs under QEMU's TCG, so every figure is "
           "emulated time; compare schedulers with each other (ratios), never with "
           "real hardware.  Best value per table in bold.\n")

# Overhead.
rows = []
for s in SCHEDS:
    r = [s]
    for j in (1, 2):
        x = jobs(f"overhead-{j}", s)
        r.append(x["rr"]["read"]["iops"] if x else float("nan"))
    rows.append(r)
base = next((r for r in rows if r[0] == "none"), None)
if rows:
    trows = [[r[0], r[1], r[1] / base[1] if base else "-", r[2], r[2] / base[2] if base else "-"] for r in rows]
    table("Overhead: null_blk, 4 KiB random reads, libaio, iodepth 32",
          ["scheduler", "IOPS 1 job", "vs none", "IOPS 2 jobs", "vs none"], trows, best_col=1)
    bars("overhead", "null_blk 4 KiB random reads, iodepth 32", "IOPS", ["1 job", "2 jobs"], rows)

# Sequential readers on the rotating disk.
rows = []
for s in SCHEDS:
    r = [s]
    for k in (2, 4):
        x = jobs(f"seqreaders-{k}", s)
        r.append(sum(v["read"]["bw_bytes"] for v in x.values()) / 1e6 if x else float("nan"))
    if len(r) == 3 and r[1] == r[1]:
        rows.append(r)
if rows:
    table("Rotating disk: concurrent sequential readers, aggregate MB/s",
          ["scheduler", "2 readers", "4 readers"], rows, best_col=1)
    bars("seqreaders", "Concurrent sequential readers (64 KiB, psync)", "aggregate MB/s",
         ["2 readers", "4 readers"], rows)

rows = []
for s in SCHEDS:
    x = jobs("seq-vs-rand", s)
    if x:
        rows.append([s, x["seq"]["read"]["bw_bytes"] / 1e6, x["rand"]["read"]["iops"]])
if rows:
    table("Rotating disk: a sequential reader against a random reader",
          ["scheduler", "sequential MB/s", "random IOPS"], rows, best_col=1)

rows, cdf = [], {}
for s in SCHEDS:
    x = jobs("write-flood", s)
    if x:
        rd = x["reader"]["read"]
        pct = rd["clat_ns"].get("percentile", {})
        rows.append([s, pct.get("99.000000", 0) / 1e6, rd["clat_ns"]["max"] / 1e6,
                     rd["iops"], x["flood"]["write"]["bw_bytes"] / 1e6])
        cdf[s] = sorted((float(k), v / 1e6) for k, v in pct.items())
if rows:
    table("Rotating disk: a random reader against a write-back flood",
          ["scheduler", "reader p99 ms", "reader max ms", "reader IOPS", "writer MB/s"],
          rows, best_col=1, lower_better=True)
    for s, pts in cdf.items():
        with open(f"{R}/cdf-{s}.dat", "w") as f:
            f.writelines(f"{ms} {p / 100}\n" for p, ms in pts)
    using = ", ".join(f"'{R}/cdf-{s}.dat' using 1:2 with linespoints title '{s}'" for s in cdf)
    plot("flood-cdf", "set title 'Reader completion latency under a write-back flood'\n"
         f"set xlabel 'latency (ms)'\nset ylabel 'fraction'\nset logscale x\nplot {using}\n")

rows, brows = [], []
for s in SCHEDS:
    x = jobs("ioprio", s)
    if not x:
        continue
    bw = {k: x[k]["read"]["bw_bytes"] for k in IOPRIO_IDEAL if k in x}
    tot = sum(bw.values()) or 1
    ideal_tot = sum(IOPRIO_IDEAL.values())
    shares = {k: bw[k] / tot for k in bw}
    err = max(abs(shares[k] - IOPRIO_IDEAL[k] / ideal_tot) for k in shares)
    fair = jain([shares[k] / IOPRIO_IDEAL[k] for k in shares])
    rows.append([s] + [100 * shares[k] for k in IOPRIO_IDEAL] + [100 * err, fair])
    brows.append([s] + [100 * shares[k] for k in IOPRIO_IDEAL])
if rows:
    table("Rotating disk: shares of four sequential readers at BE levels 0, 2, 4, 7 "
          "(ideal 39.1 / 30.4 / 21.7 / 8.7 %)",
          ["scheduler", "BE0 %", "BE2 %", "BE4 %", "BE7 %", "max error %", "Jain (weighted)"],
          rows, best_col=5, lower_better=True)
    bars("ioprio", "Bandwidth share by ioprio level", "% of bandwidth",
         ["BE0", "BE2", "BE4", "BE7"], brows)
    # Shares over time for cfq if the bandwidth logs are there.
    for s in ("cfq", "bfq"):
        logs = sorted(glob.glob(f"{R}/ioprio/{s}_bw.*.log"))
        if logs:
            using = ", ".join(f"'{l}' using ($1/1000):($2/1024) with lines title 'job {i + 1}'"
                              for i, l in enumerate(logs))
            plot(f"ioprio-time-{s}", f"set title '{s}: bandwidth of BE0, BE2, BE4, BE7 readers over time'\n"
                 f"set xlabel 's'\nset ylabel 'MiB/s'\nplot {using}\n")

rows = []
for s in SCHEDS:
    bw = {}
    for k in CG_IDEAL:
        j = load(f"{R}/cgroup/{s}-{k}.json")
        if j:
            bw[k] = j["jobs"][0]["read"]["bw_bytes"]
    if len(bw) != 3:
        continue
    tot = sum(bw.values()) or 1
    shares = {k: bw[k] / tot for k in bw}
    err = max(abs(shares[k] - CG_IDEAL[k] / 700) for k in shares)
    rows.append([s] + [100 * shares[k] for k in CG_IDEAL] + [100 * err, jain([shares[k] / CG_IDEAL[k] for k in shares])])
if rows:
    table("Rotating disk: cgroups at weights 100, 200, 400, random readers (ideal 14.3 / 28.6 / 57.1 %)",
          ["scheduler", "w100 %", "w200 %", "w400 %", "max error %", "Jain (weighted)"],
          rows, best_col=4, lower_better=True)

rows = []
for s in SCHEDS:
    j = load(f"{R}/resp/{s}.json")
    if j:
        rows.append([s, j["seconds"]])
if rows:
    table("Responsiveness: reading 200 small files during a sequential write (s)",
          ["scheduler", "seconds"], rows, best_col=1, lower_better=True)

open(f"{R}/report.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
