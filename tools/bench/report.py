#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a make bench results folder into report.md, report.rst and PNG plots.

report.md is for reading; report.rst holds the same tables in
reStructuredText for Documentation/bench-report.rst.  Each target of the
benchmark (see TARGETS below) is checked and listed as met or missed.
"""
import glob
import json
import os
import statistics
import subprocess
import sys

R = sys.argv[1]
meta = {}
for line in open(f"{R}/meta.txt"):
    if "=" in line:
        k, v = line.rstrip("\n").split("=", 1)
        meta[k] = v
SCHEDS = meta.get("scheds", "none mq-deadline bfq kyber cfq xdeadline "
                  "cfq-sd0 xdeadline-sd0").split()
# cfq's slice lengths at BE levels 0, 2, 4, 7 (base + base/5 * (4 - level)).
IOPRIO_IDEAL = {"be0": 180, "be2": 140, "be4": 100, "be7": 40}
CG_IDEAL = {"w100": 100, "w200": 200, "w400": 400}
READ_EXPIRE_MS = 500
md, rst, verdicts = [], [], []


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


def fmt(c):
    if isinstance(c, float):
        if c != c:
            return "-"
        return f"{c:.3g}" if abs(c) < 10 else f"{c:.0f}"
    return str(c)


def heading(title, level="-"):
    md.append(f"\n{'##' if level == '-' else '###'} {title}\n")
    rst.append(f"\n{title}\n{level * len(title)}\n")


def para(text):
    md.append(text + "\n")
    rst.append(text.replace("**", "") + "\n")


def table(title, head, rows, best_col=None, lower_better=False):
    """A table in both formats; the best value of best_col (a column or a
    tuple of them) is in bold."""
    cols = best_col if isinstance(best_col, tuple) else () if best_col is None else (best_col,)
    best = {}
    for i in cols:
        vals = [r[i] for r in rows if isinstance(r[i], (int, float)) and r[i] == r[i]]
        if vals:
            best[i] = min(vals) if lower_better else max(vals)
    cells = []
    for r in rows:
        c = []
        for i, v in enumerate(r):
            t = fmt(v)
            if i in best and v == best[i]:
                t = f"**{t}**"
            c.append(t)
        cells.append(c)
    heading(title, "~")
    md.append("| " + " | ".join(head) + " |")
    md.append("|" + "---|" * len(head))
    md.extend("| " + " | ".join(c) + " |" for c in cells)
    w = [max(len(x) for x in col) for col in zip(head, *cells)]
    rule = "  ".join("=" * n for n in w)
    rst.append(rule)
    rst.append("  ".join(h.ljust(n) for h, n in zip(head, w)).rstrip())
    rst.append(rule)
    rst.extend("  ".join(x.ljust(n) for x, n in zip(c, w)).rstrip() for c in cells)
    rst.append(rule + "\n")


def plot(name, script):
    with open(f"{R}/{name}.gp", "w") as f:
        f.write(f"set terminal pngcairo noenhanced size 720,360 font 'sans,9'\nset output '{R}/{name}.png'\n")
        f.write("set grid ytics\nset key outside right top\n" + script)
    subprocess.run(["gnuplot", f"{R}/{name}.gp"], check=False)
    md.append(f"\n![{name}]({name}.png)\n")


def bars(name, title, ylabel, cols, rows):
    """rows: [(sched, v1, v2, ...)], one bar per column per scheduler."""
    dat = f"{R}/{name}.dat"
    with open(dat, "w") as f:
        for r in rows:
            f.write(" ".join([r[0]] + [f"{v}" for v in r[1:]]) + "\n")
    using = ", ".join(f"'{dat}' using {i + 2}:xtic(1) title '{c}'" for i, c in enumerate(cols))
    plot(name, f"set title '{title}'\nset ylabel '{ylabel}'\nset style data histograms\n"
               f"set style fill solid 0.8 border -1\nset boxwidth 0.9\nset yrange [0:*]\n"
               f"set xtics nomirror rotate by -30\nplot {using}\n")


def verdict(target, figure, met):
    """met: True, False or None (a figure without a threshold)."""
    verdicts.append([target, figure, {True: "met", False: "MISSED", None: "reported"}[met]])


title = "elvx benchmark report"
md.append(f"# {title}\n")
para(f"Run {meta.get('date')} with `{meta.get('command', 'make bench')}`; "
     f"kernel {meta.get('kernel')}, {meta.get('cpus', meta.get('scaling_cpus'))} vCPUs under QEMU TCG "
     f"({meta.get('tcg_thread', '?')}-threaded); "
     f"elvx {meta.get('module', '?')}.")
para(f"Fast device: {meta.get('fast', '-')}. Overhead: {meta.get('overhead', '-')}.")
para(f"Rotating disk: {meta.get('disk', '-')}, {meta.get('disk_runtime', '?')} s per run; "
     f"run {meta.get('disk_scale_disk', '?')} times slower than the model (hddsim --time-scale) "
     f"for the readers and the shares, at the model's speed (scale "
     f"{meta.get('disk_scale_flood', '?')}) for the write-back flood, whose figures are "
     f"judged against the kernel's own wall-clock times (read_expire, write-back).")
para("**Emulation caveat**: the guest runs under QEMU's TCG on a shared two-core "
     "machine, so every figure is emulated time on a noisy host; compare "
     "schedulers with each other (ratios), never with real hardware.  "
     "Best value per table in bold.")

def round_iops(w, jobs):
    """{jobs: {scheduler: {round: IOPS}}} from R/w-<jobs>/<scheduler>.r<round>.json;
    a results folder of before the rounds has <scheduler>.json, round 1."""
    out = {j: {} for j in jobs}
    for j in jobs:
        for f in glob.glob(f"{R}/{w}-{j}/*.json"):
            s, _, rnd = os.path.basename(f)[:-len(".json")].rpartition(".r")
            if not s or not rnd.isdigit():
                s, rnd = os.path.basename(f)[:-len(".json")], "1"
            x = load(f)
            if x:
                out[j].setdefault(s, {})[int(rnd)] = x["jobs"][0]["read"]["iops"]
    return out


def ratios(d, a, b):
    """Per-round ratios a/b of d = {scheduler: {round: IOPS}}, rounds where both ran."""
    A, B = d.get(a, {}), d.get(b, {})
    return [A[r] / B[r] for r in sorted(A) if r in B and B[r]]


# Overhead: IOPS per round, ratios within a round, medians over rounds.
heading("Overhead on null_blk")
iops = round_iops("overhead", (1, 2))


def med(xs):
    return statistics.median(xs) if xs else float("nan")


if any(iops.values()):
    nr = max((len(v) for d in iops.values() for v in d.values()), default=0)
    rows, brows = [], []
    for s in SCHEDS:
        if s not in iops[1] and s not in iops[2]:
            continue
        r = [s]
        for j in (1, 2):
            r += [med(list(iops[j].get(s, {}).values())), med(ratios(iops[j], s, "none"))]
        rows.append(r)
        brows.append([s, r[1], r[3]])
    table(f"4 KiB random reads, libaio, iodepth 32: median IOPS of {nr} rounds, "
          "median ratio to none",
          ["scheduler", "IOPS 1 job", "vs none", "IOPS 2 jobs", "vs none"], rows, best_col=1)
    bars("overhead", "null_blk 4 KiB random reads, iodepth 32 (median of rounds)", "IOPS",
         ["1 job", "2 jobs"], brows)
    rows = []
    pairs = [("cfq", "mq-deadline", 0.90, "cfq within 10% of mq-deadline"),
             ("cfq", "bfq", 2.0, "cfq >= 2x bfq"),
             ("xdeadline", "mq-deadline", 1.10, "xdeadline >= 10% above mq-deadline"),
             # sync_dispatch 0: the elevators' own cost, on mq-deadline's
             # path (kblockd dispatch); no target of their own
             ("cfq-sd0", "mq-deadline", None, ""),
             ("xdeadline-sd0", "mq-deadline", None, "")]
    for a, b, want, what in pairs:
        for j in (1, 2):
            rs = ratios(iops[j], a, b)
            if not rs:
                continue
            m = med(rs)
            rows.append([f"{a} / {b}", j, len(rs), m, min(rs), max(rs)])
            if want is None:
                continue
            ok = m >= want   # for cfq / mq-deadline, faster is fine too
            verdict(f"null_blk {j} job{'s' if j > 1 else ''}: {what}", f"x{m:.2f} (rounds {min(rs):.2f}-{max(rs):.2f})", ok)
    for j in (1, 2):
        rnds = sorted({r for d in iops[j].values() for r in d})
        # the order of the overhead runs, as bench-guest.sh recorded it
        order = meta.get("overhead_order", "").split()
        srow = [s for s in order + SCHEDS if s in iops[j]]
        srow = [s for i, s in enumerate(srow) if s not in srow[:i]]
        if len(rnds) > 1:
            table(f"IOPS of each round, {j} job{'s' if j > 1 else ''} "
                  "(odd rounds in the order of the columns, even rounds reversed)",
                  ["round"] + srow,
                  [[str(r)] + [iops[j][s].get(r, float("nan")) for s in srow] for r in rnds])
    if rows:
        table("Pair ratios of IOPS within a round (median, lowest, highest of the rounds)",
              ["ratio", "jobs", "rounds", "median", "min", "max"], rows)

# Scaling: median IOPS against the number of jobs, and each scheduler's
# ratio to mq-deadline within a round, as for the overhead.
SJOBS = (1, 2, 4, 8)
siops = round_iops("scaling", SJOBS)
if any(siops.values()):
    heading("Scaling on null_blk")
    para(f"Device: {meta.get('scaling', '-')}; {meta.get('scaling_cpus', '?')} vCPUs, "
         f"run {meta.get('date_scaling', '?')}.  Each job is a 4 KiB random reader "
         "(libaio, iodepth 32); odd rounds run the schedulers in the order "
         f"{meta.get('scaling_order', '?')}, even rounds in the reverse order.")
    order = meta.get("scaling_order", "").split()
    ss = [s for s in order + SCHEDS + sorted({s for d in siops.values() for s in d})
          if any(s in siops[j] for j in SJOBS)]
    ss = [s for i, s in enumerate(ss) if s not in ss[:i]]
    nr = max((len(v) for d in siops.values() for v in d.values()), default=0)
    rows = [[s] + [med(list(siops[j].get(s, {}).values())) for j in SJOBS] for s in ss]
    table(f"4 KiB random reads, libaio, iodepth 32 per job: median IOPS of {nr} rounds",
          ["scheduler"] + [f"{j} job{'s' if j > 1 else ''}" for j in SJOBS], rows)
    dats = []
    for r in rows:
        pts = [(j, v) for j, v in zip(SJOBS, r[1:]) if v == v]
        if pts:
            with open(f"{R}/scaling-{r[0]}.dat", "w") as f:
                f.writelines(f"{j} {v}\n" for j, v in pts)
            dats.append(r[0])
    using = ", ".join(f"'{R}/scaling-{s}.dat' using 1:2 with linespoints title '{s}'" for s in dats)
    plot("scaling", "set title 'null_blk 4 KiB random reads, iodepth 32 per job (median of rounds)'\n"
         "set xlabel 'jobs'\nset ylabel 'IOPS'\nset logscale x 2\nset xtics (1, 2, 4, 8)\n"
         f"set xrange [0.8:10]\nset yrange [0:*]\nplot {using}\n")
    rows = []
    for s in ss:
        if s == "mq-deadline":
            continue
        for j in SJOBS:
            rs = ratios(siops[j], s, "mq-deadline")
            nan = float("nan")
            rows.append([s, j, len(rs), med(rs), min(rs, default=nan), max(rs, default=nan)])
    if any(r[2] for r in rows):
        table("Ratio of IOPS to mq-deadline within a round (median, lowest, highest of the rounds)",
              ["scheduler", "jobs", "rounds", "median", "min", "max"], rows)
    else:
        para("No round has both mq-deadline and another scheduler: no ratios.")

# Sequential readers on the rotating disk.
heading("Rotating disk")
rows = []
for s in SCHEDS:
    r = [s]
    for k in (2, 4):
        x = jobs(f"seqreaders-{k}", s)
        r.append(sum(v["read"]["bw_bytes"] for v in x.values()) / 1e6 if x else float("nan"))
    if r[1] == r[1] or r[2] == r[2]:
        rows.append(r)
if rows:
    table("Concurrent sequential readers (64 KiB, psync), aggregate MB/s",
          ["scheduler", "2 readers", "4 readers"], rows, best_col=1)
    bars("seqreaders", "Concurrent sequential readers (64 KiB, psync)", "aggregate MB/s",
         ["2 readers", "4 readers"], rows)
    bw2 = {r[0]: r[1] for r in rows}
    if "cfq" in bw2 and "mq-deadline" in bw2:
        x = bw2["cfq"] / bw2["mq-deadline"]
        verdict("hddsim 2 sequential readers: cfq >= 1.5x mq-deadline",
                f"x{x:.2f} ({fmt(bw2['cfq'])} / {fmt(bw2['mq-deadline'])} MB/s)", x >= 1.5)
    if "cfq" in bw2 and "bfq" in bw2:
        x = bw2["cfq"] / bw2["bfq"]
        verdict("hddsim 2 sequential readers: cfq >= bfq",
                f"x{x:.2f} ({fmt(bw2['cfq'])} / {fmt(bw2['bfq'])} MB/s)", x >= 1.0)

rows = []
for s in SCHEDS:
    x = jobs("seq-vs-rand", s)
    if x:
        rows.append([s, x["seq"]["read"]["bw_bytes"] / 1e6, x["rand"]["read"]["iops"]])
if rows:
    table("A sequential reader (64 KiB) against a random reader (4 KiB), psync",
          ["scheduler", "sequential MB/s", "random IOPS"], rows, best_col=1)

rows, cdf = [], {}
for s in SCHEDS:
    x = jobs("write-flood", s)
    if x:
        rd = x["reader"]["read"]
        pct = rd["clat_ns"].get("percentile", {})
        mx = rd["clat_ns"]["max"] / 1e6
        rows.append([s, pct.get("99.000000", 0) / 1e6, mx, rd["iops"],
                     x["flood"]["write"]["bw_bytes"] / 1e6])
        cdf[s] = sorted((float(k), v / 1e6) for k, v in pct.items())
        if s == "xdeadline":
            verdict(f"hddsim write-back flood: xdeadline's worst read within read_expire ({READ_EXPIRE_MS} ms)",
                    f"{mx:.0f} ms (p99 {pct.get('99.000000', 0) / 1e6:.0f} ms)", mx <= READ_EXPIRE_MS)
if rows:
    table("A random reader (4 KiB, direct) against a write-back flood (buffered 1 MiB writes), "
          "disk at the model's speed",
          ["scheduler", "reader p99 ms", "reader max ms", "reader IOPS", "writer MB/s"],
          rows, best_col=2, lower_better=True)
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
    rows.append([s] + [100 * shares[k] for k in IOPRIO_IDEAL] + [100 * err, fair, tot / 1e6])
    brows.append([s] + [100 * shares[k] for k in IOPRIO_IDEAL])
if rows:
    table("Shares of four sequential readers at BE levels 0, 2, 4, 7 "
          "(ideal: cfq's slice lengths, 39.1 / 30.4 / 21.7 / 8.7 %)",
          ["scheduler", "BE0 %", "BE2 %", "BE4 %", "BE7 %", "max error (points)",
           "Jain (weighted)", "total MB/s"],
          rows, best_col=5, lower_better=True)
    para("Max error: the largest difference between a reader's share and its "
         "ideal share, in percentage points.  Jain's index of share / ideal "
         "share: 1 when every reader gets exactly its ideal share.")
    bars("ioprio", "Bandwidth share by ioprio level", "% of bandwidth",
         ["BE0", "BE2", "BE4", "BE7"], brows)
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
    rows.append([s] + [100 * shares[k] for k in CG_IDEAL] +
                [100 * err, jain([shares[k] / CG_IDEAL[k] for k in shares]), tot / 4096])
if rows:
    table("Random readers (4 KiB, libaio, 8 deep) in cgroups of weight 100, 200, 400 "
          "(ideal 14.3 / 28.6 / 57.1 %)",
          ["scheduler", "w100 %", "w200 %", "w400 %", "max error (points)",
           "Jain (weighted)", "total IOPS"],
          rows, best_col=4, lower_better=True)
    para("The weights are written to io.cfq.weight (cfq) and io.bfq.weight (bfq); "
         "the other schedulers have no cgroup weights and show the even split.")

# Responsiveness (tools/bench/resp.sh): resp/resp.txt, a line per device,
# background, scheduler and round; "-" is a missing value.
RESP_BGS = {"idle": "no background", "read1": "a sequential reader",
            "read2": "2 sequential readers", "read5": "5 sequential readers",
            "write": "a sequential direct writer", "wb": "buffered writes, write-back"}
RESP_COLS = ["start", "small", "p99", "max", "bg MB/s"]
resp, resp_rt = {}, "?"
if os.path.exists(f"{R}/resp/resp.txt"):
    for line in open(f"{R}/resp/resp.txt"):
        fl = line.split()
        if line.startswith("#"):
            if "(lat" in fl:
                resp_rt = fl[fl.index("(lat") + 1]
            continue
        if len(fl) != 9 or not fl[3].isdigit():
            continue
        v = []
        for x in fl[4:]:
            try:
                v.append(float(x) if float(x) == float(x) else None)
            except ValueError:
                v.append(None)
        resp.setdefault(fl[0], {}).setdefault(fl[1], {}).setdefault(fl[2], {})[int(fl[3])] = v


def resp_cell(d, i):
    """The values of column i over the rounds of d = {round: values}, present ones."""
    return [v[i] for v in d.values() if v[i] is not None]


def resp_order(dev):
    """The backgrounds and the schedulers that ran on dev, in the report's order."""
    bgs = list(dict.fromkeys(b for b in list(RESP_BGS) + sorted(resp[dev]) if b in resp[dev]))
    ss = [s for s in SCHEDS + sorted({s for b in bgs for s in resp[dev][b]})
          if any(s in resp[dev][b] for b in bgs)]
    return bgs, list(dict.fromkeys(ss))


if resp:
    heading("Responsiveness under background I/O")
    para(f"tools/bench/resp.sh, run {meta.get('date_resp', '?')}.  While a background "
         "load runs (3 s before the measures start): start, the cold start-up of "
         "python3 importing about 170 modules from an ext4 on the device (s); small, "
         "cat of 200 cold 16 KiB files there (s); p99 and max, the completion latency "
         f"of a 4 KiB random reader (psync, direct) on the raw device for {resp_rt} s "
         "(ms); bg MB/s, the background's throughput over the cell.  hdd is hddsim's "
         "7200 rpm model at the model's speed, rot a rotational null_blk with 2 ms "
         "per request and a hardware depth of 2.  Odd rounds run the schedulers in "
         "one order, even rounds in the reverse order.  Each figure is the median of "
         "the rounds where it is present; rounds: the rounds run, and in parentheses "
         "the figures present in fewer of them.  Lowest start, small and p99 in bold.")
    devs = list(dict.fromkeys(d for d in ["hdd", "rot"] + sorted(resp) if d in resp))
    for dev in devs:
        bgs, ss = resp_order(dev)
        for bg in bgs:
            rows = []
            for s in ss:
                d = resp[dev][bg].get(s)
                if not d:
                    continue
                few = [f"{c} {len(resp_cell(d, i))}" for i, c in enumerate(RESP_COLS)
                       if 0 < len(resp_cell(d, i)) < len(d)]
                rows.append([s] + [med(resp_cell(d, i)) for i in range(len(RESP_COLS))] +
                            [f"{len(d)}" + (f" ({', '.join(few)})" if few else "")])
            table(f"{dev}, {bg}: {RESP_BGS.get(bg, bg)}, median of rounds",
                  ["scheduler", "start s", "small s", "p99 ms", "max ms", "bg MB/s", "rounds"],
                  rows, best_col=(1, 2, 3), lower_better=True)
        if any("bfq" in resp[dev][b] for b in bgs):
            rows = []
            for s in ss:
                if s == "bfq":
                    continue
                r = [s]
                for bg in bgs:
                    start = {x: {n: v[0] for n, v in d.items() if v[0] is not None}
                             for x, d in resp[dev][bg].items()}
                    r.append(med(ratios(start, s, "bfq")))
                rows.append(r)
            table(f"{dev}: start-up time against bfq's, median of the ratios within a round",
                  ["scheduler"] + bgs, rows)
    dev = "hdd" if "hdd" in resp else "rot" if "rot" in resp else None
    if dev:
        bgs, ss = resp_order(dev)
        bars("resp", f"{dev}: python3 cold start-up under background I/O (median of rounds)",
             "s", ss, [[bg] + [med(resp_cell(resp[dev][bg].get(s, {}), 0)) for s in ss]
                       for bg in bgs])

# cfq's cgroup figures (tools/bench/cfq-cgroup.sh).
C = f"{R}/cfq-cgroup"
modes = [("iops", "IOPS mode (non-rotational, slice_idle 0)"),
         ("slice", "time-slice mode (rotational, low_latency 0)"),
         ("slice-lowlat", "time-slice mode (rotational, low_latency 1)")]
rows = []
for m, desc in modes:
    j = load(f"{C}/shares-{m}.json")
    if not j:
        continue
    js = j["jobs"]
    tb = sum(x["read"]["bytes"] for x in js) or 1
    tw = sum(x["weight"] for x in js) or 1
    rel = []
    r = [desc]
    for x in js:
        sh, ideal = x["read"]["bytes"] / tb, x["weight"] / tw
        rel.append((sh - ideal) / ideal)
        r.append(f"{100 * sh:.1f} ({100 * rel[-1]:+.1f}%)")
    worst = max(abs(e) for e in rel)
    r += [100 * worst, jain([x["read"]["bytes"] / tb / (x["weight"] / tw) for x in js]),
          sum(x["read"]["iops"] for x in js)]
    rows.append(r)
    verdict(f"cfq cgroup shares 100/200/400 within 3% of ideal, {desc}",
            f"worst relative error {100 * worst:.1f}%", worst <= 0.03)
if rows:
    secs = (load(f"{C}/shares-iops.json") or {}).get("jobs", [{}])[0].get("runtime")
    heading("cfq: cgroup weights and idle cgroups")
    para("tools/bench/cfq-cgroup.sh: three cgroups at weights 100, 200 and 400 "
         "(io.cfq.weight) each run the same random-read load (aioload, libaio, "
         "16 deep, 4 KiB) on a null_blk with 1 ms timer completions and 32 tags, "
         "after a 2 s ramp.")
    table("cgroup shares, % of the bytes read (relative error to the ideal 14.3 / 28.6 / 57.1 %)",
          ["mode", "w100", "w200", "w400", "worst error %", "Jain (weighted)", "total IOPS"], rows)
idle = {}
if os.path.exists(f"{C}/idle.txt"):
    for line in open(f"{C}/idle.txt"):
        k, _, v = line.partition(" ")
        idle[k] = v.split()
if idle.get("base") and idle.get("idle"):
    b = [float(x) for x in idle["base"]]
    i = [float(x) for x in idle["idle"]]
    ratio = med(i) / med(b)
    table(f"Cost of {idle.get('cgroups', ['?'])[0]} idle cgroups with a group on the device "
          f"(cfq, fast null_blk, one job, libaio 32 deep, {idle.get('seconds', ['?'])[0]} s runs, alternating)",
          ["hierarchy", "IOPS of each run", "median"],
          [["no other cgroup", " ".join(idle["base"]), med(b)],
           [f"{idle.get('cgroups', ['?'])[0]} idle cgroups", " ".join(idle["idle"]), med(i)]])
    para(f"Ratio of the medians, idle hierarchy / none: {ratio:.3f}.")
    verdict("cost of 100 idle cgroups on cfq's IOPS (reported, no threshold)",
            f"x{ratio:.3f} ({100 * (ratio - 1):+.1f}%)", None)

if verdicts:
    heading("Targets")
    table("Each target, its figure and the verdict", ["target", "figure", "verdict"], verdicts)

open(f"{R}/report.md", "w").write("\n".join(md) + "\n")
open(f"{R}/report.rst", "w").write("\n".join(rst) + "\n")
print("\n".join(md))
