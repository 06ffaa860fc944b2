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

# The object list in module/Kbuild names every .c file of module/, and a
# rebuild after a touch links each object once: a $(wildcard *.c) there
# picked up kbuild's generated elvx.mod.c on the second build, and modinfo
# showed every field twice.
objs=$(sed -n '/^elvx-y/,/^$/p' module/Kbuild | tr -s ' \\\t' '\n' | grep '\.o$' | sort)
srcs=$(cd module && git ls-files '*.c' | sed 's/\.c$/.o/' | sort)
t_eq "module/Kbuild lists every module/*.c" "$(echo $objs)" "$(echo $srcs)"
scratch=$(mktemp -d)
trap 'rm -rf "$fake" "$scratch"' EXIT
mkdir "$scratch/module"
cp Kbuild "$scratch/"
(cd module && cp Kbuild $(git ls-files '*.c' '*.h') "$scratch/module/")
KVER=${KVER:-$(modinfo -F vermagic $ko | cut -d" " -f1)}
kb() { make -s -C "/lib/modules/$KVER/build" M="$scratch" \
	ELVX_KBLOCK="$ELVX_TOP/build/ksrc/block" modules >/dev/null 2>&1; }
if [ -n "${KVER:-}" ] && [ -d "/lib/modules/$KVER/build" ] && kb; then
	touch "$scratch/module/xdeadline.c"
	kb
	dup=$(modinfo "$scratch/module/elvx.ko" | awk -F: '$1 != "alias" && $1 != "parm" && $1 != "parmtype" { print $1 }' |
	      sort | uniq -d | tr '\n' ' ')
	t_eq "a rebuilt module shows no modinfo field twice" "$dup" ""
	t_eq "a rebuilt module has two aliases" "$(modinfo -F alias "$scratch/module/elvx.ko" | sort | tr '\n' ' ')" \
		"cfq-iosched xdeadline-iosched "
else
	t_fail "the scratch module builds for ${KVER:-no KVER}"
fi
t_done
