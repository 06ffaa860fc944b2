#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# elvx-vm uses KVM only where a guest can run on it: with /dev/kvm present
# but no VT-x or AMD-V in the processor flags (a VM without nested
# virtualisation), a guest started with accel=kvm hangs until its timeout.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
vm=tools/vm/elvx-vm
t=$(mktemp)
trap 'rm -f "$t"' EXIT

echo "flags		: fpu vme de pse tsc msr pae mce cx8 apic sep hypervisor" > "$t"
t_eq "no vmx/svm flag: tcg" "$(ELVX_VM_CPUINFO=$t $vm --print-accel)" tcg
echo "flags		: fpu vme de pse tsc msr pae mce cx8 apic sep vmx ept" > "$t"
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	t_eq "vmx flag and /dev/kvm: kvm" "$(ELVX_VM_CPUINFO=$t $vm --print-accel)" kvm
else
	t_eq "vmx flag without /dev/kvm: tcg" "$(ELVX_VM_CPUINFO=$t $vm --print-accel)" tcg
fi
t_eq "ELVX_VM_ACCEL=tcg wins" "$(ELVX_VM_ACCEL=tcg ELVX_VM_CPUINFO=$t $vm --print-accel)" tcg
t_eq "ELVX_VM_ACCEL=kvm wins" "$(ELVX_VM_ACCEL=kvm $vm --print-accel)" kvm
ELVX_VM_ACCEL=fast $vm --print-accel > /dev/null 2>&1
t_eq "a bad ELVX_VM_ACCEL exits 2" $? 2
# (a kernel that does not exist: if the check were gone, no guest boots)
out=$($vm --kver 0.0.0 --tcg-thread fast -- true 2>&1)
t_eq "a bad --tcg-thread exits 2" $? 2
t_eq "a bad --tcg-thread: one line naming it" \
	"$(printf '%s\n' "$out" | grep -c -- '--tcg-thread must be')/$(printf '%s\n' "$out" | wc -l)" 1/1
out=$(ELVX_VM_TCG_THREAD=fast $vm --kver 0.0.0 -- true 2>&1)
t_eq "a bad ELVX_VM_TCG_THREAD exits 2, naming it" "$?:$(printf '%s\n' "$out" | grep -c 'fast')" 2:1
# This machine: a guest must not be given KVM without the processor flags.
if [ -e /dev/kvm ] && ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
	t_eq "here (/dev/kvm without vmx/svm): tcg" "$($vm --print-accel)" tcg
fi
t_done
