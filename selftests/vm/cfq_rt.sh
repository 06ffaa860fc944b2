#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# cfq serves the RT class strictly before BE: with an RT and a BE reader
# busy on a slow rotational disk, RT gets at least 90% of the service.
# Checked with the task's ioprio (ionice) and with per-request priorities
# (fio's libaio cmdprio, i.e. rq->ioprio), the BE reader at a higher level
# than the RT one so that levels alone would favour it.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

dev=$(slow_disk cfqrt0) || skip_all "no null_blk with cfq"
trap 'nullb_teardown cfqrt0' EXIT

# 1. Task priorities: two sequential readers far apart.
ionice -c1 -n4 dd if=$dev of=/dev/null bs=4k iflag=direct count=250000 status=none &
rt=$!
ionice -c2 -n0 dd if=$dev of=/dev/null bs=4k iflag=direct skip=131072 count=250000 status=none &
be=$!
sleep 1
rt0=$(rchar $rt) be0=$(rchar $be)
sleep 8
rt1=$(rchar $rt) be1=$(rchar $be)
kill $rt $be; wait $rt $be 2>/dev/null
rt_io=$(( (rt1 - rt0) / 4096 )) be_io=$(( (be1 - be0) / 4096 ))
t_log "ionice: RT/4 $rt_io requests, BE/0 $be_io requests"
t_check "both readers ran" test $((rt_io + be_io)) -gt 100
t_range "RT share with task ioprio (ionice)" \
	"$(awk -v a=$rt_io -v b=$be_io 'BEGIN { printf "%.3f", a / (a + b) }')" 0.90 1

# 2. Per-request priorities: fio libaio jobs, every I/O tagged.
out=/tmp/cfq_rt.json
fio --output-format=json --output=$out --filename=$dev --direct=1 \
    --ioengine=libaio --iodepth=2 --rw=read --bs=4k --runtime=8 --time_based \
    --name=rt --offset=0 --cmdprio_percentage=100 --cmdprio_class=1 --cmdprio=4 \
    --name=be --offset=512m --cmdprio_percentage=100 --cmdprio_class=2 --cmdprio=0 \
    >/dev/null 2>&1
rt_io=$(jq '.jobs[0].read.total_ios' $out 2>/dev/null)
be_io=$(jq '.jobs[1].read.total_ios' $out 2>/dev/null)
t_log "cmdprio: RT/4 ${rt_io:-?} requests, BE/0 ${be_io:-?} requests"
if [ -n "$rt_io" ] && [ -n "$be_io" ] && [ $((rt_io + be_io)) -gt 100 ]; then
	t_range "RT share with per-request priorities (rq->ioprio)" \
		"$(awk -v a=$rt_io -v b=$be_io 'BEGIN { printf "%.3f", a / (a + b) }')" 0.90 1
else
	t_fail "fio ran the per-request priority jobs"
fi
t_done
