#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# contrib/systemd/elvx-cfq-weight, as a unit runs it from ExecStartPost=:
# in the unit's cgroup (or its .control child) it sets io.cfq.weight of
# that cgroup, the default and one disk's, refuses a bad weight with exit
# status 1 and nothing changed, and cfq's shares follow what it set.  What
# IOWeight= writes (io.weight, blk-iocost's) leaves cfq's weight alone.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq

HELPER=$ELVX_TOP/contrib/systemd/elvx-cfq-weight
S=$CG/elvxsd.slice
OUT=$(mktemp)
cleanup() {
	find $S -depth -type d -exec rmdir {} + 2>/dev/null
	nullb_remove cfqwsd
	rm -f $OUT $OUT.err
	cg_io_restore
}
trap cleanup EXIT
cg_io_on

dev=$(nullb_create cfqwsd irqmode=2 completion_nsec=1000000 hw_queue_depth=32) ||
	skip_all "no null_blk"
n=${dev#/dev/}
mm=$(cat /sys/block/$n/dev)
sched_set $n cfq || skip_all "cannot select cfq"

mkdir -p $S/db.service $S/a.service $S/b.service
echo +io > $S/cgroup.subtree_control
t_check "the helper is there" test -x "$HELPER"

# unit CGROUP ARGS...: the helper run by a process of CGROUP, as
# ExecStartPost= runs in the unit's cgroup; prints its exit status
unit() {
	local cg=$1
	shift
	bash -c 'echo $BASHPID > "$0/cgroup.procs" && exec "$@"' "$cg" "$HELPER" "$@" \
		>/dev/null 2>$OUT.err
	echo $?
}

t_eq "a new unit has cfq's default weight" \
	"$(head -1 $S/db.service/io.cfq.weight 2>&1)" "default 100"
if [ -e $S/db.service/io.weight ]; then
	echo "default 500" > $S/db.service/io.weight
	t_eq "IOWeight=500 (io.weight) does not reach cfq" \
		"$(head -1 $S/db.service/io.cfq.weight 2>&1)" "default 100"
fi

t_eq "ExecStartPost=+elvx-cfq-weight 500 $dev 800: exit 0" \
	"$(unit $S/db.service 500 $dev 800)" 0
t_eq "it set io.cfq.weight of the unit's cgroup" \
	"$(tr '\n' , < $S/db.service/io.cfq.weight 2>&1)" "default 500,$mm 800,"
t_eq "a weight of 0 is refused: exit 1" "$(unit $S/db.service 0)" 1
t_eq "... with one line" "$(wc -l < $OUT.err)" 1
t_eq "... and the weight is unchanged" \
	"$(head -1 $S/db.service/io.cfq.weight 2>&1)" "default 500"
t_eq "a bad usage: exit 2" "$(unit $S/db.service 100 $dev)" 2

# Delegate=yes: ExecStartPost= runs in the unit's .control child
echo +io > $S/db.service/cgroup.subtree_control
mkdir $S/db.service/.control
t_eq "from the .control child: exit 0" "$(unit $S/db.service/.control 300)" 0
t_eq "it set the unit's weight" "$(head -1 $S/db.service/io.cfq.weight 2>&1)" "default 300"
t_eq "--cgroup PATH sets another cgroup's" \
	"$(unit $S/db.service/.control --cgroup /elvxsd.slice/a.service 150)" 0
t_eq "... a.service at 150" "$(head -1 $S/a.service/io.cfq.weight 2>&1)" "default 150"

# shares: two units at 150 and 600 (set by the helper), the same reads
t_eq "b.service at 600: exit 0" \
	"$(unit $S/db.service/.control --cgroup /elvxsd.slice/b.service 600)" 0
t_eq "... b.service at 600" "$(head -1 $S/b.service/io.cfq.weight 2>&1)" "default 600"
cg_shares "the helper's weights 150 and 600" "$dev" 16 0.25 - \
	a:elvxsd.slice/a.service:150 b:elvxsd.slice/b.service:600
t_done
