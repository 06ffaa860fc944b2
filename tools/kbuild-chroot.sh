#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuild-chroot.sh [make arguments]: build elvx.ko for a kernel this machine
# has no toolchain for (Debian 13's 6.12, sid's 7.2), in the chroot that
# 'make deps KVER=6.12' (or 7.2) debootstrapped: the suite's gcc and make,
# and the kernel's headers unpacked in it.  The Makefile runs it for 'make
# KVER=6.12' and 'make KVER=7.2'; arguments go to kbuild (default: modules).
#
#   KVER      the kernel release (6.12.117+deb13-amd64, not "6.12")
#   KSRC      kernel source of the same version, for block/*.h
#   ELVX_SRC  the tree to build (default: this one); only Kbuild and
#             module/ are used
#   ELVX_KO   where the module goes (default: $BUILD/SUITE/KVER/elvx.ko)
#   BUILD     cache folder (default: build/)
#
# SUITE (trixie, sid) is the one whose chroot, $BUILD/SUITE/root, has
# KVER's headers.
#
# The sources are copied (timestamps kept, so rebuilds are incremental) to
# /elvx/KVER/ID in the chroot, ID naming the source tree, and built there:
# the working tree gets no object files for another kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
die() { printf 'elvx: %s\n' "$*" >&2; exit 1; }

kver=${KVER:?KVER must be the kernel release}
root=$BUILD/trixie/root
for r in "$BUILD"/*/root; do
	[ ! -e "$r/.elvx-headers-$kver" ] || root=$r
done
src=$(cd "${ELVX_SRC:-$top}" && pwd)
ksrc=${KSRC:-$BUILD/ksrc-$kver}
ko=${ELVX_KO:-${root%/root}/$kver/elvx.ko}
kdir=/usr/src/linux-headers-$kver
work=/elvx/$kver/$(printf '%s' "$src" | cksum | cut -d' ' -f1)

[ -e "$root/.elvx-headers-$kver" ] && [ -d "$root$kdir" ] ||
	die "no build chroot for $kver in $root (run make deps KVER=$kver)"
[ -f "$ksrc/block/elevator.h" ] ||
	die "no kernel source headers in $ksrc (run make deps KVER=$kver, or set KSRC)"
[ -f "$src/Kbuild" ] && [ -f "$src/module/Kbuild" ] || die "no Kbuild in $src"
[ "$(id -u)" = 0 ] || die "building in the chroot $root needs root"
[ $# -gt 0 ] || set -- modules

kbuild() {	# run make in the chroot, with a clean environment
	# and /proc (7.2's objtool reads /proc/self/maps), mounted in a
	# mount namespace of its own: nothing stays mounted after it.
	unshare -m --propagation private /bin/sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
		/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 make -C "$kdir" "$@"
}

exec 8>"$root/.elvx-build.lock"
flock 8

# Headers and source of the same version, as for the host's kernel.
h=$(kbuild -s kernelversion 2>/dev/null) || true
s=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3}
	END{if (v != "") print v "." p "." s}' "$ksrc/Makefile" 2>/dev/null)
[ "$h" = "$s" ] ||
	die "kernel headers in $root$kdir are $h but the source in $ksrc is $s: they must match"

# Copy the sources; files gone from the tree go from the copy too.
w=$root$work
mkdir -p "$w/module" "$w/kblock"
cp -p "$src/Kbuild" "$w/"
for f in "$w"/module/*.[ch]; do
	[ -e "$f" ] || continue
	[ -e "$src/module/${f##*/}" ] || rm -f "$f" "${f%.c}.o"
done
cp -p "$src/module/Kbuild" "$w/module/"
for f in "$src"/module/*.[ch]; do
	case "$f" in *.mod.c) ;; *) cp -p "$f" "$w/module/" ;; esac
done
# module/Kbuild takes every .c: not the one modpost generates.
rm -f "$w/module/elvx.mod.c"
cp -p "$ksrc"/block/*.h "$w/kblock/"

kbuild -j"$(nproc)" M="$work" ELVX_KBLOCK="$work/kblock" "$@"

if [ -f "$w/module/elvx.ko" ] && [[ " $* " == *" modules "* ]]; then
	mkdir -p "$(dirname "$ko")"
	cp "$w/module/elvx.ko" "$ko.tmp" && mv "$ko.tmp" "$ko"
	printf '  elvx.ko for %s: %s\n' "$kver" "$ko"
fi
