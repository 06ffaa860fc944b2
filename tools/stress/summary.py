#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""summary.py SUMMARY.TSV [KERNEL_WARNINGS]: make stress's summary table.

SUMMARY.TSV lines: run, verdict, seconds, checks passed/total, figures
("key=value key=value ...").  The figures column is wrapped.
"""
import sys
import textwrap


def main():
    rows = []
    for line in open(sys.argv[1]):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 5:
            rows.append(f)
    kw = sys.argv[2] if len(sys.argv) > 2 else "?"
    width = 72
    head = "%-8s %-7s %5s %7s  %s" % ("run", "verdict", "secs", "checks", "figures")
    out = ["", "stress summary", head, "-" * (len(head) + width - 7)]
    for run, verdict, secs, checks, figs in rows[:]:
        lines = textwrap.wrap(figs, width) or [""]
        out.append("%-8s %-7s %5s %7s  %s" % (run, verdict, secs, checks, lines[0]))
        for ln in lines[1:]:
            out.append("%-8s %-7s %5s %7s  %s" % ("", "", "", "", ln))
    out.append("-" * (len(head) + width - 7))
    nfail = sum(1 for r in rows if r[1] != "PASS")
    ok = nfail == 0 and kw == "0"
    out.append("%d runs, %d failed, %s kernel warnings in the whole boot: %s"
               % (len(rows), nfail, kw, "PASS" if ok else "FAIL"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
