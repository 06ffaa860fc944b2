#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# The build refuses kernel headers and source of different versions, naming
# both, and the module carries what modinfo should show.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
[ -f build/ksrc/Makefile ] || skip_all "run make deps first"

fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
mkdir -p "$fake/block"
cp build/ksrc/block/*.h "$fake/block/"
sed 's/^SUBLEVEL = .*/SUBLEVEL = 9999/' build/ksrc/Makefile > "$fake/Makefile"
msg=$(make -s modules KSRC="$fake" 2>&1)
t_check "a version mismatch stops the build" test $? -ne 0
hv=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v "." p "." s}' build/ksrc/Makefile)
t_check "the error names the source version" grep -q '9999' <<<"$msg"
t_check "the error names the headers version ($hv)" grep -q "headers.* $hv" <<<"$msg"

ko=module/elvx.ko
[ -f $ko ] || make -s modules >/dev/null 2>&1
t_eq "modinfo license" "$(modinfo -F license $ko)" GPL
t_check "modinfo description" test -n "$(modinfo -F description $ko)"
t_check "modinfo version" test -n "$(modinfo -F version $ko)"
t_check "modinfo aliases for autoloading" bash -c "modinfo -F alias $ko | grep -qx cfq-iosched && modinfo -F alias $ko | grep -qx xdeadline-iosched"
t_done
