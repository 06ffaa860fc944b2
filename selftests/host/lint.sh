#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# Kernel style: checkpatch reports no ERROR on the module, sparse no warning.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
cp=build/ksrc/scripts/checkpatch.pl
[ -f $cp ] || skip_all "run make deps first"
for f in module/*.c module/*.h; do
	errs=$(perl $cp --no-tree --quiet --terse -f "$f" 2>&1 | grep ': ERROR:')
	if [ -z "$errs" ]; then t_ok "checkpatch: no errors in $f"; else t_fail "checkpatch: $f"; echo "$errs"; fi
done
command -v sparse >/dev/null || skip_all "sparse missing (make deps)"
kdir=${KDIR:-/lib/modules/${KVER:-$(ls /lib/modules | grep amd64 | sort -V | tail -1)}/build}
out=$(make -s -C "$kdir" M="$PWD" ELVX_KBLOCK="$PWD/build/ksrc/block" C=2 modules 2>&1 |
      grep -E "^$PWD/module/.*: (warning|error):")
if [ -z "$out" ]; then t_ok "sparse: no warnings in module/"; else t_fail "sparse: warnings in module/"; echo "$out"; fi
t_done
