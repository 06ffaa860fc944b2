#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deps: install what a fresh Debian 12 amd64 machine lacks to build elvx
# and run it in the VM.  Idempotent: prints one line and does nothing when all
# is present.
#
#   KVER       kernel release to build for and boot (default: the newest
#              linux-headers-*-amd64 that linux-headers-amd64 points at)
#   BUILD      cache folder (default: build/)
#
# Host packages are installed with apt-get; the VM's kernel image and the
# kernel source are downloaded as .deb files and extracted under $BUILD, so
# the host gets no new kernel and no initramfs is regenerated.
set -euo pipefail

BUILD=${BUILD:-build}
PKGS=(linux-headers-amd64 qemu-system-x86 busybox-static fio libaio-dev
      liburing-dev sparse kmod cpio gzip xz-utils python3-docutils gnuplot-nox
      nbd-client dkms man-db clang-format bsdextrautils e2fsprogs jq)

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		die "need root and apt-get to install: $*"
	fi
	if [ ! -e "$BUILD/.apt-updated" ]; then
		mkdir -p "$BUILD"; apt-get update -qq >>"$BUILD/deps.log" 2>&1 || die "apt-get update failed"
		mkdir -p "$BUILD" && touch "$BUILD/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >>"$BUILD/deps.log" 2>&1 ||
		die "apt-get install failed for: $*"
}

if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	apt_install "${missing[@]}"
fi

# The kernel the VM boots is the one linux-headers-amd64 depends on.
if [ -z "${KVER:-}" ]; then
	KVER=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	       grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 |
	       sed 's/^linux-headers-//')
fi
[ -n "$KVER" ] || die "cannot tell the kernel version from linux-headers-amd64"
[ -d "/lib/modules/$KVER/build" ] || apt_install "linux-headers-$KVER"
PKGVER=$(dpkg-query -W -f='${Version}' "linux-headers-$KVER")

fetch() {	# package version -> path of the .deb under $BUILD/debs
	local pkg=$1 ver=$2 deb
	mkdir -p "$BUILD/debs"
	deb=$(ls "$BUILD/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		say "downloading $pkg $ver" >&2
		[ -e "$BUILD/.apt-updated" ] || { apt-get update -qq >>"$BUILD/deps.log" 2>&1; touch "$BUILD/.apt-updated"; }
		(cd "$BUILD/debs" && apt-get download -qq "$pkg=$ver" >>../deps.log 2>&1) ||
			die "cannot download $pkg=$ver"
		deb=$(ls "$BUILD/debs/${pkg}_"*.deb | head -1)
	fi
	printf '%s\n' "$deb"
}

# The VM's kernel and modules, with a module index for modprobe.
KDIR_IMG="$BUILD/kernel/$KVER"
if [ ! -e "$KDIR_IMG/.done" ]; then
	deb=$(fetch "linux-image-$KVER" "$PKGVER")
	rm -rf "$KDIR_IMG" && mkdir -p "$KDIR_IMG"
	dpkg-deb -x "$deb" "$KDIR_IMG"
	depmod -b "$KDIR_IMG" "$KVER"
	touch "$KDIR_IMG/.done"
	say "kernel $KVER extracted to $KDIR_IMG"
fi

# The private block headers, checkpatch and the kselftest headers, from
# linux-source of exactly the headers' version.
KSRC="$BUILD/ksrc"
# Bump KSRC_LAYOUT when the list of extracted files changes.
KSRC_LAYOUT=2
if [ "$(cat "$KSRC/.version" 2>/dev/null)" != "$PKGVER+$KSRC_LAYOUT" ]; then
	srcpkg="linux-source-$(echo "$KVER" | cut -d. -f1-2)"
	deb=$(fetch "$srcpkg" "$PKGVER")
	tmp="$BUILD/ksrc.tmp"
	rm -rf "$tmp" "$KSRC" && mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz'
	tarball=$(ls "$tmp"/usr/src/linux-source-*.tar.xz)
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$KSRC"
	tar -xJf "$tarball" -C "$KSRC" --strip-components=1 \
		--wildcards "$top/Makefile" "$top/block/*.h" \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" "$top/scripts/kernel-doc" \
		"$top/.clang-format" \
		"$top/tools/testing/selftests/kselftest*" \
		"$top/tools/include/*" "$top/tools/lib/rbtree.c"
	rm -rf "$tmp"
	echo "$PKGVER+$KSRC_LAYOUT" > "$KSRC/.version"
	say "kernel source $PKGVER headers extracted to $KSRC"
fi

[ ${#missing[@]} -gt 0 ] || say "all present (kernel $KVER, $PKGVER)"
