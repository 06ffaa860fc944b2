#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh KVER KDIR: build module/elvx.ko for kernel KVER (DKMS's
# MAKE[0]).  The private block/ headers elvx needs are in no headers
# package; they come from, in this order:
#   1. $ELVX_KSRC, a kernel source tree of the same version;
#   2. an installed /usr/src/linux-source-X.Y.tar.xz of the same version;
#   3. Debian's linux-source-X.Y of the headers' package version, fetched
#      with apt-get download.
set -eu
kver=${1:?usage: dkms-build.sh KVER KDIR}
kdir=${2:-/lib/modules/$kver/build}
cd "$(dirname "$0")/.."
die() { echo "elvx dkms: $*" >&2; exit 1; }

want=$(make -s --no-print-directory -C "$kdir" kernelversion 2>/dev/null) || die "no kernel build tree at $kdir"
ksrc=build/ksrc-$kver
srcver() { awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v "." p "." s}' "$1"; }

extract() {	# tarball -> $ksrc
	local top
	top=$(tar -tJf "$1" | head -1 | cut -d/ -f1)
	rm -rf "$ksrc" && mkdir -p "$ksrc"
	tar -xJf "$1" -C "$ksrc" --strip-components=1 --wildcards \
		"$top/Makefile" "$top/block/*.h"
}

if [ -n "${ELVX_KSRC:-}" ]; then
	ksrc=$ELVX_KSRC
elif [ ! -f "$ksrc/block/elevator.h" ]; then
	series=$(echo "$want" | cut -d. -f1-2)
	tarball=/usr/src/linux-source-$series.tar.xz
	if [ -f "$tarball" ]; then
		extract "$tarball"
	fi
	if [ ! -f "$ksrc/Makefile" ] || [ "$(srcver "$ksrc/Makefile")" != "$want" ]; then
		pkgver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null) ||
			die "need the kernel source of $want for block/*.h: set ELVX_KSRC"
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		(cd "$tmp" && apt-get download -qq "linux-source-$series=$pkgver" >/dev/null 2>&1) ||
			die "cannot download linux-source-$series=$pkgver: set ELVX_KSRC"
		dpkg-deb --fsys-tarfile "$tmp"/linux-source-*.deb |
			tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz'
		extract "$tmp"/usr/src/linux-source-*.tar.xz
	fi
fi
exec make modules KVER="$kver" KDIR="$kdir" KSRC="$(cd "$ksrc" && pwd)"
