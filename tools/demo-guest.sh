#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make demo (runs inside tools/vm/elvx-vm).
set -eu
. selftests/lib.sh
RUNTIME=${DEMO_RUNTIME:-3}
scheds="none mq-deadline bfq kyber cfq xdeadline"

step() { printf '\n== %s\n' "$*"; }

step "module"
grep -E '^(elvx)' /proc/modules | cut -d' ' -f1-2
modinfo -F description module/elvx.ko

# A fast device (null_blk, no service time) and a slow "rotational" one
# (null_blk completing each request after 200 us through a timer).
fast=$(nullb_create fast0 memory_backed=0 blocksize=4096 size=1024)
slow=$(nullb_create slow0 memory_backed=0 blocksize=4096 size=1024 \
	irqmode=2 completion_nsec=200000 hw_queue_depth=32)
echo 1 > /sys/block/slow0/queue/rotational

step "schedulers offered for $fast"
cat /sys/block/fast0/queue/scheduler

step "echo cfq > /sys/block/slow0/queue/scheduler"
sched_set slow0 cfq
cat /sys/block/slow0/queue/scheduler

step "cfq tunables of slow0 (/sys/block/slow0/queue/iosched/)"
(cd /sys/block/slow0/queue/iosched && grep -H . * 2>/dev/null | sed 's/:/ = /' | column -t) || echo "(none)"

step "echo 4 > slice_idle; echo banana > slice_idle (refused)"
if [ ! -e /sys/block/slow0/queue/iosched/slice_idle ]; then
	echo "(this cfq has no slice_idle yet)"
else
iosched slow0 slice_idle 4
printf 'slice_idle = %s\n' "$(iosched slow0 slice_idle)"
if try_write /sys/block/slow0/queue/iosched/slice_idle banana; then
	echo "banana accepted (!)"
else
	echo "banana refused with: $( (echo banana > /sys/block/slow0/queue/iosched/slice_idle) 2>&1 | sed 's/.*: //')"
fi
printf 'slice_idle = %s (unchanged)\n' "$(iosched slow0 slice_idle)"
iosched slow0 slice_idle 8
fi

out=/tmp/demo
mkdir -p $out
jobs_fast=(--name=randread --filename=$fast --rw=randread --bs=4k --direct=1
	   --ioengine=libaio --iodepth=32 --numjobs=1)
# Two readers of different I/O priority on the slow disk: level 0 vs 7.
jobs_prio=(--filename=$slow --rw=read --bs=64k --direct=1 --ioengine=psync
	   --name=be0 --prioclass=2 --prio=0 --offset=0
	   --name=be7 --prioclass=2 --prio=7 --offset=512m)

step "fio, ${RUNTIME}s per scheduler and job"
for s in $scheds; do
	grep -qw "$s" /sys/block/fast0/queue/scheduler || continue
	printf '  %-12s' "$s"
	sched_set fast0 "$s"; sched_set slow0 "$s"
	fio --output-format=json --output=$out/fast-$s.json --time_based \
	    --runtime=$RUNTIME "${jobs_fast[@]}" >/dev/null
	printf 'random reads done; '
	fio --output-format=json --output=$out/prio-$s.json --time_based \
	    --runtime=$RUNTIME "${jobs_prio[@]}" >/dev/null
	printf 'priority readers done\n'
done

step "side by side"
/usr/bin/python3 - "$out" $scheds <<'PY'
import json, os, sys
out, scheds = sys.argv[1], sys.argv[2:]
rows = []
for s in scheds:
    f, p = f"{out}/fast-{s}.json", f"{out}/prio-{s}.json"
    if not os.path.exists(f):
        continue
    j = json.load(open(f))["jobs"][0]["read"]
    pj = {x["jobname"]: x["read"]["bw_bytes"] for x in json.load(open(p))["jobs"]}
    tot = sum(pj.values()) or 1
    rows.append((s, j["iops"], j["clat_ns"]["mean"] / 1e3,
                 j["clat_ns"]["percentile"].get("99.000000", 0) / 1e3,
                 100.0 * pj.get("be0", 0) / tot))
base = rows[0][1] if rows and rows[0][0] == "none" else None
print(f"{'scheduler':<12} {'4k randread IOPS':>17} {'vs none':>8} {'mean lat us':>12}"
      f" {'p99 lat us':>11} {'BE0 share vs BE7':>17}")
for s, iops, mean, p99, share in rows:
    rel = f"{iops / base:7.2f}x" if base else "-"
    print(f"{s:<12} {iops:17.0f} {rel:>8} {mean:12.1f} {p99:11.1f} {share:16.1f}%")
print("\nBE0 share: two sequential readers, ionice -c2 -n0 against -c2 -n7, on a"
      "\nslow rotational null_blk; legacy CFQ gives level 0 180 ms slices and"
      "\nlevel 7 40 ms ones, so a priority-aware scheduler shows about 82%.")
PY
sched_set fast0 none; sched_set slow0 none
nullb_remove fast0; nullb_remove slow0
