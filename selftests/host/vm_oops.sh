#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 30
#
# elvx-vm's one-line account of a guest kernel problem (--oops-summary,
# and oops.txt in the results folder, which run-all.sh puts in its
# summary): the headline, the function in RIP and the first reliable
# frames, from console logs shaped as the guests print them; nothing for
# a clean log; every message that fails a run has a headline.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
vm=tools/vm/elvx-vm
t=$(mktemp)
trap 'rm -f "$t"' EXIT

# A 6.12 guest that died while it booted (2026-12-07), abridged.
cat > "$t" <<'LOG'
[    1.400000] NET: Registered PF_INET protocol family
[    1.428404] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI
[    1.429038] CPU: 1 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.118+deb13-amd64 #1  Debian 6.12.118-1
[    1.429171] RIP: 0010:enqueue_timer+0xa5/0x100
[    1.429171] RSP: 0018:ff3e4d1a40013d10 EFLAGS: 00000087
[    1.429171] Call Trace:
[    1.429171]  <TASK>
[    1.429171]  __mod_timer+0x26e/0x340
[    1.429171]  ? __kmalloc_noprof+0x18a/0x400
[    1.429171]  queue_delayed_work_on+0x6f/0x80
[    1.429171]  neigh_table_init+0x1e4/0x2d0
[    1.429171]  arp_init+0x17/0x50
[    1.429171]  inet_init+0x1cc/0x2e0
[    1.429171]  ? __pfx_inet_init+0x10/0x10
[    1.429171]  do_one_initcall+0x58/0x310
[    1.429171]  kernel_init_freeable+0x23d/0x2a0
[    1.429171]  </TASK>
[    1.429171] Modules linked in:
[    1.429171] ---[ end trace 0000000000000000 ]---
[    1.429171] RIP: 0010:enqueue_timer+0xa5/0x100
[    1.429171] Kernel panic - not syncing: Fatal exception in interrupt
LOG
t_eq "an int3 oops: headline, RIP, the first six reliable frames" \
	"$($vm --oops-summary "$t")" \
	"Oops: int3: 0000 [#1] PREEMPT SMP NOPTI; RIP enqueue_timer; __mod_timer < queue_delayed_work_on < neigh_table_init < arp_init < inet_init < do_one_initcall"

cat > "$t" <<'LOG'
[  300.000000] INFO: task fio:812 blocked for more than 120 seconds.
[  300.000100]       Tainted: G           OE      6.1.0-57-amd64 #1 Debian 6.1.192-3
[  300.000200] Call Trace:
[  300.000300]  <TASK>
[  300.000400]  __schedule+0x34d/0x9e0
[  300.000500]  io_schedule+0x42/0x70
[  300.000600]  </TASK>
LOG
t_eq "a hung task: its line, its frames" "$($vm --oops-summary "$t")" \
	"INFO: task fio:812 blocked for more than 120 seconds.; __schedule < io_schedule"

printf '[    0.000000] Linux version 6.1.0-57-amd64\n[    2.000000] elvx: loaded\n' > "$t"
t_eq "a clean log: nothing" "$($vm --oops-summary "$t")" ""

$vm --oops-summary /nonexistent > /dev/null 2>&1
t_eq "an unreadable log exits 2" $? 2
t_done
