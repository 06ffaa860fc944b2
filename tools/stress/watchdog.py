#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""watchdog.py OUTDIR [--limit S] [--interval S]: the stuck-request detector.

Samples every block device twice a second until killed (SIGTERM).  A
device counts as stalled while it holds requests (busy scheduler tags,
else busy driver tags, from debugfs; else /sys/block/DEV/inflight) and its
completion counters (/sys/block/DEV/stat) do not move.  A stall that
lasts --limit seconds (default 30) means some request waited that long:
it is written to OUTDIR/stuck, once per stall.  On exit OUTDIR/stall
holds "max_stall_s=S max_pending=N": the longest stall seen on any device.

Devices come and go during the runs; each is watched while it exists.
"""
import argparse
import glob
import os
import re
import signal
import sys
import time

DBG = "/sys/kernel/debug/block"


def busy(dev):
    """Requests allocated on DEV (scheduler tags when a scheduler is set)."""
    total, seen = 0, False
    for h in glob.glob("%s/%s/hctx*" % (DBG, dev)):
        for name in ("sched_tags", "tags"):
            try:
                text = open(os.path.join(h, name)).read()
            except OSError:
                continue
            m = re.search(r"^busy=(\d+)", text, re.M)
            if m:
                total += int(m.group(1))
                seen = True
                break
    if seen:
        return total
    try:
        return sum(int(x) for x in open("/sys/block/%s/inflight" % dev).read().split())
    except (OSError, ValueError):
        return 0


def completions(dev):
    try:
        f = open("/sys/block/%s/stat" % dev).read().split()
    except OSError:
        return None
    # reads, writes, discards, flushes completed
    idx = [0, 4, 11, 15]
    return tuple(int(f[i]) for i in idx if i < len(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--limit", type=float, default=30)
    ap.add_argument("--interval", type=float, default=0.5)
    a = ap.parse_args()

    state = {}		# dev -> [last completions, stall start or None, reported]
    worst = [0.0, 0]
    running = [True]

    def stop(*_):
        running[0] = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def write_stall():
        with open(os.path.join(a.outdir, "stall"), "w") as f:
            f.write("max_stall_s=%d max_pending=%d\n" % (int(worst[0]), worst[1]))

    while running[0]:
        now = time.monotonic()
        devs = [d for d in os.listdir("/sys/block")
                if not d.startswith(("loop", "ram", "zram"))]
        for d in list(state):
            if d not in devs:
                del state[d]
        for d in devs:
            c = completions(d)
            if c is None:
                continue
            st = state.setdefault(d, [c, None, False])
            pending = busy(d) if st[0] == c else 0
            if st[0] != c or pending == 0:
                st[0], st[1], st[2] = c, None, False
                continue
            if st[1] is None:
                st[1] = now
            stalled = now - st[1]
            if stalled > worst[0]:
                worst[0] = stalled
                worst[1] = pending
            if stalled >= a.limit and not st[2]:
                st[2] = True
                with open(os.path.join(a.outdir, "stuck"), "a") as f:
                    f.write("%s: %d requests, no completion for %.0f s\n"
                            % (d, pending, stalled))
                write_stall()
        time.sleep(a.interval)
    write_stall()
    return 0


if __name__ == "__main__":
    sys.exit(main())
