#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Every sysfs tunable the elevators create and every cgroup file elvx adds
# is documented: a section titled with its name in the scheduler's page.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
dev=$(nullb_create docs0) || skip_all "no null_blk"
trap 'nullb_remove docs0' EXIT

for pair in cfq:cfq-iosched xdeadline:xdeadline; do
	s=${pair%%:*} doc=Documentation/${pair#*:}.rst
	sched_set docs0 "$s" || { t_fail "select $s"; continue; }
	for f in /sys/block/docs0/queue/iosched/*; do
		[ -e "$f" ] || continue
		n=$(basename "$f")
		t_check "$s tunable $n is documented in $doc" \
			grep -Eq "^$n([[:space:]]|$)" "$doc"
	done
done
sched_set docs0 cfq
for f in /sys/fs/cgroup/io.cfq.*; do
	[ -e "$f" ] || continue
	n=$(basename "$f")
	t_check "cgroup file $n is documented" grep -q "$n" Documentation/cfq-iosched.rst
done
sched_set docs0 none
t_done
