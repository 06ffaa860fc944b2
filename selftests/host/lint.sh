#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# Kernel style: checkpatch reports no ERROR on the module and no WARNING
# but those listed, with their reason, in checkpatch.allow; sparse no
# warning; the tools' C sources follow the kernel's .clang-format.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
cp=build/ksrc/scripts/checkpatch.pl
allow=selftests/host/checkpatch.allow
[ -f $cp ] || skip_all "run make deps first"
for f in $(git ls-files 'module/*.c' 'module/*.h'); do
	out=$(perl $cp --no-tree --quiet --terse --show-types -f "$f" 2>&1 | grep ': \(ERROR\|WARNING\):')
	errs=$(grep ': ERROR:' <<<"$out")
	if [ -z "$errs" ]; then t_ok "checkpatch: no errors in $f"; else t_fail "checkpatch: $f"; echo "$errs"; fi
	warns=$(grep ': WARNING:' <<<"$out" | while IFS= read -r l; do
		type=$(sed 's/.*: WARNING:\([A-Z_0-9]*\):.*/\1/' <<<"$l")
		grep -q "^$f $type\$" $allow || echo "$l"
	done)
	if [ -z "$warns" ]; then
		t_ok "checkpatch: no warning in $f but those in checkpatch.allow"
	else
		t_fail "checkpatch: warnings in $f not in checkpatch.allow"; echo "$warns"
	fi
done

if command -v clang-format >/dev/null && [ -f build/ksrc/.clang-format ]; then
	for f in $(git ls-files 'tools/*.c' 'tools/*.h'); do
		if clang-format --dry-run -Werror --style=file:build/ksrc/.clang-format "$f" 2>/dev/null; then
			t_ok "clang-format: $f"
		else
			t_fail "clang-format: $f differs (make format)"
		fi
	done
else
	t_skip "clang-format or the kernel's .clang-format missing (make deps)"
fi

command -v sparse >/dev/null || skip_all "sparse missing (make deps)"
kdir=${KDIR:-/lib/modules/${KVER:-$(ls /lib/modules | grep amd64 | sort -V | tail -1)}/build}
out=$(make -s -C "$kdir" M="$PWD" ELVX_KBLOCK="$PWD/build/ksrc/block" C=2 modules 2>&1 |
      grep -E "^$PWD/module/.*: (warning|error):")
if [ -z "$out" ]; then t_ok "sparse: no warnings in module/"; else t_fail "sparse: warnings in module/"; echo "$out"; fi
t_done
