#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What each I/O model costs, run in the VM:
#
#   tools/vm/elvx-vm -- bash tools/bench/engines.sh [--quick] [--out DIR]
#
# make bench runs it as its engines group (BENCH_ARGS="--only engines"; not
# in the default run).  Every aioload engine, and the options that make the
# five I/O models of Documentation/aioload.rst (pvsync2 --nowait,
# --completion=epoll, posixaio's signal notification), reads a null_blk (no
# memory backing, 4 KiB blocks, scheduler none) at random with O_DIRECT, at
# iodepth 1 and 32, in alternating rounds.  Per run: IOPS and CPU per I/O,
# (usr + sys time of the job's process) / I/Os, from aioload's JSON.  The
# table (medians over the rounds) goes to standard output and, with --out,
# to DIR/engines.rst next to the JSON of every run.
#
# The synchronous engines keep one I/O in flight whatever --iodepth says;
# their depth-32 rows are a second measurement of depth 1.  CPU time is the
# job's process only: io_uring's io-wq and SQPOLL threads, and interrupt
# work done in other tasks' time, are not in it.
. "$(dirname "$0")/../../selftests/lib.sh"
need_cmd jq
T=5 ROUNDS=5 OUT=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) T=2 ROUNDS=3 ;;
	--out) OUT=$2; shift ;;
	*) echo "engines.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$AIOLOAD" ] || { echo "engines.sh: $AIOLOAD is not built" >&2; exit 2; }
dir=${OUT:-$(mktemp -d)}
mkdir -p "$dir"

configs=(
	"sync|--ioengine=sync"
	"psync|--ioengine=psync"
	"pvsync2|--ioengine=pvsync2"
	"pvsync2 --nowait|--ioengine=pvsync2 --nowait"
	"libaio|--ioengine=libaio"
	"libaio --completion=epoll|--ioengine=libaio --completion=epoll"
	"posixaio (suspend)|--ioengine=posixaio"
	"posixaio signal|--ioengine=posixaio --posixaio_notify=signal"
	"io_uring|--ioengine=io_uring"
	"io_uring --completion=epoll|--ioengine=io_uring --completion=epoll"
)

name=bengine0
dev=$(nullb_create $name memory_backed=0 blocksize=4096 size=4096) || {
	echo "engines.sh: no null_blk" >&2
	exit 2
}
trap 'nullb_remove $name' EXIT
sched_set $name none
{
	echo "device=null_blk, 4 KiB blocks, no memory backing, $(cat /sys/block/$name/queue/nr_requests) tags, scheduler none"
	echo "runs=$ROUNDS rounds of $T s per engine and depth, 4 KiB O_DIRECT random reads"
	echo "kernel=$(uname -r)"
	echo "cpus=$(nproc)"
	# QEMU's TCG shows its own CPU model; KVM (-cpu host) the host's
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
} >"$dir/engines-meta.txt"

# run FILE ARGS...
run() {
	local f=$1
	shift
	# shellcheck disable=SC2086 # the engine's options are words
	"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 \
		--rw=randread --bs=4k --time_based --runtime=$T "$@" \
		>"$f" 2>"$f.err" ||
		echo "engines.sh: $(basename "$f") failed: $(head -1 "$f.err")" >&2
}

# warm up: the first run of a boot is slow
run "$dir/warmup.json" --ioengine=libaio --iodepth=32
n=${#configs[@]}
for r in $(seq "$ROUNDS"); do
	for k in $(seq 0 $((n - 1))); do
		# every other round in reverse, so that a drift weighs on all
		[ $((r % 2)) = 1 ] && i=$k || i=$((n - 1 - k))
		c=${configs[$i]}
		for d in 1 32; do
			# shellcheck disable=SC2086
			run "$dir/e$i-d$d.r$r.json" ${c#*|} --iodepth=$d
		done
	done
	printf '[%s] engines: round %d/%d done\n' "$(date +%H:%M:%S)" "$r" "$ROUNDS"
done

cat "$dir/engines-meta.txt"
python3 - "$dir" "$ROUNDS" "${configs[@]}" <<'PY' | tee "$dir/engines.rst"
import glob, json, statistics, sys
d, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def load(i, depth):
    out = []
    for f in sorted(glob.glob(f"{d}/e{i}-d{depth}.r*.json")):
        try:
            out.append(json.load(open(f))["jobs"][0])
        except (ValueError, KeyError, IndexError):
            pass
    return out

def cell(jobs):
    if not jobs:
        return "failed", "-", ""
    iops = statistics.median(j["read"]["iops"] for j in jobs)
    cpu = statistics.median(j["cpu"]["us_per_io"] or 0 for j in jobs)
    note = []
    nw = [j["nowait"] for j in jobs if j.get("nowait")]
    if nw:
        ea = sum(x["eagain"] for x in nw)
        tot = ea + sum(x["ios"] for x in nw)
        note.append(f"EAGAIN {100 * ea / tot:.1f}%" if tot else "")
    sg = [j["signal"] for j in jobs if j.get("signal")]
    if sg:
        note.append(f"by scan {sum(x['by_poll'] for x in sg)}")
    ep = [j["epoll"] for j in jobs if j.get("epoll")]
    if ep:
        ios = sum(j["read"]["ios"] for j in jobs)
        wk = sum(x["eventfd_wakeups"] for x in ep)
        note.append(f"{ios / wk:.1f} I/Os per wakeup" if wk else "no wakeup")
    return f"{iops / 1000:.1f}k", f"{cpu:.1f}", ", ".join(x for x in note if x)

rows = [("engine and options", "IOPS d1", "us CPU/IO d1", "IOPS d32",
         "us CPU/IO d32", "notes (d1; d32)")]
for i, c in enumerate(configs):
    a, b = cell(load(i, 1)), cell(load(i, 32))
    notes = "; ".join(x for x in (a[2], b[2]) if x)
    rows.append((f"``{c.split('|')[0]}``", a[0], a[1], b[0], b[1], notes))
w = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
line = "  ".join("=" * x for x in w)
print(line)
print("  ".join(v.ljust(w[k]) for k, v in enumerate(rows[0])).rstrip())
print(line)
for r in rows[1:]:
    print("  ".join(v.ljust(w[k]) for k, v in enumerate(r)).rstrip())
print(line)
PY
