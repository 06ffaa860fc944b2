#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# contrib/udev/60-elvx-iosched.rules, run by udevadm (of the host's systemd
# version, extracted by make deps) for "add" events of null_blk disks:
# cfq on a rotational disk, xdeadline on a non-rotational one; a "remove"
# event is left alone.  systemd 252's
# udevadm test applies ATTR{} assignments, as udevd would.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
udevadm=$ELVX_TOP/build/udev/bin/udevadm
[ -x "$udevadm" ] || skip_all "no udevadm in build/udev (make deps)"
rules=/run/udev/rules.d
mkdir -p $rules /run/udev/data
cp "$ELVX_TOP/contrib/udev/60-elvx-iosched.rules" $rules/ || skip_all "no /run/udev"

rot=$(nullb_create udevrot0) || skip_all "no null_blk"
ssd=$(nullb_create udevssd0)
trap 'nullb_remove udevrot0; nullb_remove udevssd0; rm -f $rules/60-elvx-iosched.rules' EXIT
echo 1 > /sys/block/udevrot0/queue/rotational
echo 0 > /sys/block/udevssd0/queue/rotational

uevent() {	# ACTION DEV
	"$udevadm" test --action="$1" "/sys/block/$2" > /tmp/udev.$2.log 2>&1
}

for d in udevrot0 udevssd0; do
	sched_set $d none
	uevent remove $d
	t_eq "remove event: $d left on none" "$(sched_get $d)" none
done
t_check "add event runs the rule (udevrot0)" uevent add udevrot0
t_eq "rotational disk: cfq" "$(sched_get udevrot0)" cfq
t_check "add event runs the rule (udevssd0)" uevent add udevssd0
t_eq "non-rotational disk: xdeadline" "$(sched_get udevssd0)" xdeadline
# change events (udevadm trigger) apply it to disks already there
sched_set udevssd0 none
t_check "change event runs the rule" uevent change udevssd0
t_eq "change event: xdeadline" "$(sched_get udevssd0)" xdeadline
grep -q 60-elvx-iosched.rules /tmp/udev.udevssd0.log ||
	t_log "udevadm did not name the rule file: $(tail -3 /tmp/udev.udevssd0.log)"

# The rule file parses with no complaint.
t_check "udevadm reports no error in the rule" \
	bash -c "! grep -i '60-elvx-iosched.rules.*\(invalid\|error\|fail\)' /tmp/udev.*.log"
t_done
