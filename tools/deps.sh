#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deps: install what a fresh Debian 12 amd64 machine lacks to build elvx
# and run it in the VM.  Idempotent: prints one line and does nothing when all
# is present.
#
#   KVER       kernel release to build for and boot (default: the newest
#              linux-headers-*-amd64 that linux-headers-amd64 points at);
#              KVER=6.12 (or a 6.12 release this machine has no headers
#              for) prepares Debian 13's kernel instead, KVER=7.2 Debian
#              unstable's (sid): see chroot_deps
#   BUILD      cache folder (default: build/)
#
# Exit status 3: KVER=6.12 or 7.2 needs downloads and Debian's trixie or
# sid archive cannot be reached (one line says so); make check then skips
# that kernel.
#
# Host packages are installed with apt-get; the VM's kernel image and the
# kernel source are downloaded as .deb files and extracted under $BUILD, so
# the host gets no new kernel and no initramfs is regenerated.
set -euo pipefail

BUILD=${BUILD:-build}
# A minimal Debian 12 (debootstrap minbase, with git and make) lacks all
# of these; make check-fresh runs the first make demo and make check there.
PKGS=(linux-headers-amd64 qemu-system-x86 busybox-static fio libaio-dev
      liburing-dev sparse kmod cpio gzip xz-utils python3-docutils gnuplot-nox
      nbd-client dkms man-db clang-format bsdextrautils e2fsprogs jq
      make gcc libc6-dev perl python3 dmsetup procps)

# The kernels of another Debian release are built in a chroot of that
# release made by debootstrap: SUITE SERIES DESCRIPTION.
CHROOT=()
case "${KVER:-}" in
6.12|6.12.*) CHROOT=(trixie 6.12 "Debian 13 (trixie)") ;;
7.2|7.2.*) CHROOT=(sid 7.2 "Debian unstable (sid)") ;;
esac
if [ ${#CHROOT[@]} -gt 0 ] && [ ! -d "/lib/modules/$KVER/build" ]; then
	PKGS+=(debootstrap curl)
else
	CHROOT=()
fi

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: %s\n' "$*" >&2; exit 1; }
. "$(dirname "$0")/lib-host.sh"

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# The package lists are refreshed once a day at most (the stamp
# $BUILD/.apt-updated), and again when apt-get fails: lists older than the
# archive name packages the mirror no longer has.
apt_update() {	# [force]
	if [ -z "${1:-}" ] && [ -n "$(find "$BUILD/.apt-updated" -mmin -1440 2>/dev/null)" ]; then
		return 0
	fi
	mkdir -p "$BUILD"
	apt-get update -qq >>"$BUILD/deps.log" 2>&1 || die "apt-get update failed (see $BUILD/deps.log)"
	touch "$BUILD/.apt-updated"
}

apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		die "need root and apt-get to install: $*"
	fi
	apt_update
	apt_get_install "$@" || { apt_update force && apt_get_install "$@"; } ||
		die "apt-get install failed for: $* (see $BUILD/deps.log)"
}
apt_get_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >>"$BUILD/deps.log" 2>&1
}

if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	apt_install "${missing[@]}"
fi

fetch() {	# package version [apt-get options] -> path of the .deb under $BUILD/debs
	local pkg=$1 ver=$2 deb part=$BUILD/debs/partial
	shift 2
	deb=$(ls "$BUILD/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		say "downloading $pkg $ver" >&2
		# Into partial/ first: an interrupted download leaves no .deb.
		rm -rf "$part" && mkdir -p "$part"
		[ $# -gt 0 ] || apt_update
		download "$pkg" "$ver" "$@" ||
			{ [ $# -gt 0 ] || { apt_update force && download "$pkg" "$ver"; }; } ||
			die "cannot download $pkg=$ver"
		deb=$(ls "$part/${pkg}_"*.deb | head -1)
		mv "$deb" "$BUILD/debs/" && deb=$BUILD/debs/${deb##*/}
	fi
	printf '%s\n' "$deb"
}
download() {	# package version [apt-get options]: into $BUILD/debs/partial
	(cd "$BUILD/debs/partial" && apt-get download -qq "${@:3}" "$1=$2" >>../../deps.log 2>&1)
}

# PKG's .deb and those of the packages of the same kernel (but another
# image) it depends on: linux-headers-KVER's -common and linux-kbuild; on
# sid, linux-image-KVER is only the dependencies on linux-binary-KVER
# (vmlinuz), linux-modules-KVER and linux-base-KVER (System.map, config),
# which linux-headers-KVER depends on too.
kernel_debs() {	# PKG KVER PKGVER [apt-get options] -> paths of the .debs
	local pkg=$1 kver=${2%-amd64} pkgver=$3 deb p
	shift 3
	deb=$(fetch "$pkg" "$pkgver" "$@")
	printf '%s\n' "$deb"
	for p in $(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' |
		   sed -n "s/^ *\(linux-[a-z]*-${kver//./\\.}[-a-z0-9]*\)\( .*\)\{0,1\}$/\1/p" |
		   grep -v '^linux-image-'); do
		[ "$p" != "$pkg" ] || continue
		fetch "$p" "$pkgver" "$@"
	done
}

# The VM's kernel and modules, with a module index for modprobe.
kernel_image() {	# KVER PKGVER [apt-get options]
	local kver=$1 pkgver=$2 dir=$BUILD/kernel/$1 deb debs
	shift 2
	[ ! -e "$dir/.done" ] || return 0
	debs=$(kernel_debs "linux-image-$kver" "$kver" "$pkgver" "$@")
	rm -rf "$dir" && mkdir -p "$dir"
	for deb in $debs; do
		dpkg-deb -x "$deb" "$dir"
	done
	# Merged /usr (Debian 13): modules in usr/lib/modules.
	[ -e "$dir/lib" ] || [ ! -d "$dir/usr/lib/modules" ] || ln -s usr/lib "$dir/lib"
	# sid's linux-binary-KVER has the image in the modules' folder only.
	[ -e "$dir/boot/vmlinuz-$kver" ] || [ ! -e "$dir/usr/lib/modules/$kver/vmlinuz" ] ||
		{ mkdir -p "$dir/boot" && ln -s "../usr/lib/modules/$kver/vmlinuz" "$dir/boot/vmlinuz-$kver"; }
	depmod -b "$dir" "$kver"
	touch "$dir/.done"
	say "kernel $kver extracted to $dir"
}

# The private block headers, checkpatch and the kselftest headers, from
# linux-source of exactly the headers' version.
# Bump KSRC_LAYOUT when the list of extracted files changes.
KSRC_LAYOUT=2
kernel_source() {	# DIR KVER PKGVER [apt-get options]
	local ksrc=$1 kver=$2 pkgver=$3 srcpkg deb tmp tarball top
	shift 3
	[ "$(cat "$ksrc/.version" 2>/dev/null)" != "$pkgver+$KSRC_LAYOUT" ] || return 0
	srcpkg="linux-source-$(echo "$kver" | cut -d. -f1-2)"
	deb=$(fetch "$srcpkg" "$pkgver" "$@")
	tmp="$ksrc.tmp"
	rm -rf "$tmp" "$ksrc" && mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz'
	tarball=$(ls "$tmp"/usr/src/linux-source-*.tar.xz)
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$ksrc"
	tar -xJf "$tarball" -C "$ksrc" --strip-components=1 \
		--wildcards "$top/Makefile" "$top/block/*.h" \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" "$top/scripts/kernel-doc" \
		"$top/.clang-format" \
		"$top/tools/testing/selftests/kselftest*" \
		"$top/tools/include/*" "$top/tools/lib/rbtree.c"
	rm -rf "$tmp"
	echo "$pkgver+$KSRC_LAYOUT" > "$ksrc/.version"
	say "kernel source $pkgver headers extracted to $ksrc"
}

# Another Debian release's kernel, SUITE SERIES DESCRIPTION (CHROOT above):
# KVER=6.12 means trixie's current 6.12 kernel, KVER=7.2 sid's current 7.2
# one, resolved once to its release (kept in $BUILD/SUITE/kver; remove that
# file and $BUILD/SUITE/apt to move to a newer one).  Its packages come with
# a private apt state in $BUILD/SUITE/apt, from the mirrors this machine
# already uses; the host's apt and packages are left alone.  The build runs
# in a debootstrapped chroot of the suite, $BUILD/SUITE/root, with the
# compiler Debian built the kernel with (trixie's gcc-14, sid's gcc-16) and
# the kernel's headers (see tools/kbuild-chroot.sh).  Its VM kernel goes to
# $BUILD/kernel/KVER and its private block headers to $BUILD/ksrc-KVER, as
# for Debian 12.
chroot_deps() {	# SUITE SERIES DESCRIPTION
	local suite=$1 series=$2 desc=$3
	local T=$BUILD/$1 A=$BUILD/$1/apt root=$BUILD/$1/root
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	local apt=(-o "Dir::Etc::SourceList=$A/sources.list"
		   -o Dir::Etc::SourceParts=/dev/null
		   -o Dir::Etc::Preferences=/dev/null
		   -o Dir::Etc::PreferencesParts=/dev/null
		   -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache"
		   -o "Dir::State::status=$A/status" -o APT::Architecture=amd64)
	local main sec pkgver deb debs p inc

	mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
	touch "$A/status"
	# The Debian mirrors of this machine's own apt sources.
	main=$(host_uri main) sec=$(host_uri security)
	[ -n "$main" ] || die "no Debian mirror in /etc/apt/sources.list{,.d}"
	{
		echo "deb [signed-by=$keyring] $main $suite main"
		# sid has no security suite: fixes reach it directly.
		[ -z "$sec" ] || [ "$suite" = sid ] ||
			echo "deb [signed-by=$keyring] $sec $suite-security main"
	} > "$A/sources.list.new"
	cmp -s "$A/sources.list.new" "$A/sources.list" ||
		{ mv "$A/sources.list.new" "$A/sources.list"; rm -f "$A/.updated"; }
	rm -f "$A/sources.list.new"
	# Nothing to download when all is there; else the archive must answer.
	local kv=$KVER
	[ "$kv" != "$series" ] || kv=$(cat "$T/kver" 2>/dev/null || true)
	if [ -z "$kv" ] || [ ! -e "$BUILD/kernel/$kv/.done" ] ||
	   [ ! -e "$root/.elvx-headers-$kv" ] || [ ! -s "$BUILD/ksrc-$kv/.version" ]; then
		case $main in
		http://*|https://*)
			curl -fsS -m 30 -o /dev/null "${main%/}/dists/$suite/Release" \
				2>>"$BUILD/deps.log" || {
				printf 'deps: %s archive unreachable at %s: no %s\n' \
					"$desc" "$main" "$series" >&2
				exit 3
			} ;;
		esac
	fi
	suite_update() {
		[ ! -e "$A/.updated" ] || return 0
		apt-get "${apt[@]}" update -qq >>"$BUILD/deps.log" 2>&1 ||
			die "apt-get update for $suite failed (see $BUILD/deps.log)"
		touch "$A/.updated"
	}

	if [ "$KVER" = "$series" ]; then
		# A release recorded by an earlier run whose files are not all
		# here yet, and that has left the archive (the suite's ABI
		# number moved): resolve the series again, to the newest.
		kv=$(cat "$T/kver" 2>/dev/null || true)
		if [ -n "$kv" ] && { [ ! -e "$BUILD/kernel/$kv/.done" ] ||
		     [ ! -e "$root/.elvx-headers-$kv" ] || [ ! -s "$BUILD/ksrc-$kv/.version" ]; }; then
			rm -f "$A/.updated"
			suite_update
			if [ -z "$(apt-cache "${apt[@]}" policy "linux-headers-$kv" |
				   awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }')" ]; then
				say "$kv has left $suite's archive: moving to the newest $series"
				rm -f "$T/kver"
			fi
		fi
		if [ -s "$T/kver" ]; then
			KVER=$(cat "$T/kver")
		else
			suite_update
			KVER=$(apt-cache "${apt[@]}" depends linux-headers-amd64 |
			       grep -o "linux-headers-${series//./\\.}[.+][^ ,]*-amd64" | head -1 |
			       sed 's/^linux-headers-//')
			[ -n "$KVER" ] || die "$suite's linux-headers-amd64 is not a $series kernel"
			echo "$KVER" > "$T/kver"
			say "KVER=$series is $KVER"
		fi
	fi
	suite_pkgver() {
		suite_update
		apt-cache "${apt[@]}" policy "linux-headers-$KVER" |
			awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
	}

	local done_img=$BUILD/kernel/$KVER/.done ksrc=$BUILD/ksrc-$KVER
	local done_root=$root/.elvx-headers-$KVER
	if [ -e "$done_img" ] && [ -e "$done_root" ] && [ -s "$ksrc/.version" ]; then
		pkgver=$(sed "s/+$KSRC_LAYOUT\$//" "$ksrc/.version")
	else
		pkgver=$(suite_pkgver)
		[ -n "$pkgver" ] || die "no linux-headers-$KVER in $suite"
	fi
	kernel_image "$KVER" "$pkgver" "${apt[@]}"
	kernel_source "$ksrc" "$KVER" "$pkgver" "${apt[@]}"

	# The build chroot: the suite's gcc and make, with what the kernel's
	# build tools (linux-kbuild) need; then the headers, unpacked.
	if [ ! -e "$root/.elvx-base" ]; then
		suite_update
		inc=$(for p in "linux-headers-$KVER" "linux-kbuild-$(echo "$KVER" | sed 's/-amd64$//')"; do
			apt-cache "${apt[@]}" show "$p=$pkgver" | sed -n 's/^Depends: //p'
		      done | tr ',' '\n' | sed 's/[|(].*//; s/ //g' |
		      grep -v '^linux-\|^$' | sort -u | tr '\n' ,)
		inc="${inc}make,libc6-dev"
		say "debootstrap $suite ($inc) in $root"
		unmount_under "$root.tmp"
		rm -rf "$root.tmp"
		debootstrap --variant=minbase --arch=amd64 --keyring="$keyring" \
			--include="$inc" "$suite" "$root.tmp" "$main" >>"$BUILD/deps.log" 2>&1 ||
			{ unmount_under "$root.tmp"; die "debootstrap failed (see $BUILD/deps.log)"; }
		unmount_under "$root.tmp"
		rm -f "$root.tmp"/var/cache/apt/archives/*.deb
		touch "$root.tmp/.elvx-base"
		unmount_under "$root"
		rm -rf "$root" && mv "$root.tmp" "$root"
	fi
	if [ ! -e "$done_root" ]; then
		# The headers and what they need of the same kernel: -common,
		# linux-kbuild, and on sid linux-base.
		debs=$(kernel_debs "linux-headers-$KVER" "$KVER" "$pkgver" "${apt[@]}")
		for deb in $debs; do
			dpkg-deb -x "$deb" "$root"
		done
		[ -d "$root/usr/src/linux-headers-$KVER" ] || die "no headers in $root"
		touch "$done_root"
		say "$suite chroot with gcc and the $KVER headers in $root"
	fi
	[ ${#missing[@]} -gt 0 ] || say "all present (kernel $KVER, $pkgver)"
}

if [ ${#CHROOT[@]} -gt 0 ]; then
	chroot_deps "${CHROOT[@]}"
	exit 0
fi

# The kernel the VM boots is the one linux-headers-amd64 depends on.
KVER_GIVEN=${KVER:-}
if [ -z "${KVER:-}" ]; then
	KVER=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	       grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 |
	       sed 's/^linux-headers-//')
fi
[ -n "$KVER" ] || die "cannot tell the kernel version from linux-headers-amd64"
[ -d "/lib/modules/$KVER/build" ] || apt_install "linux-headers-$KVER"
PKGVER=$(dpkg-query -W -f='${Version}' "linux-headers-$KVER")

# Debian's archive keeps only the newest kernel: once the ABI number moved
# (6.1.0-56 -> 6.1.0-57) or a new upload came, the image and source of the
# headers this machine has cannot be downloaded any more.  Then, unless
# KVER was given, move linux-headers-amd64 to the newest kernel and build
# for that one; the Makefile reads KVER after this script has run.
if [ -z "${KVER_GIVEN:-}" ] &&
   { [ ! -e "$BUILD/kernel/$KVER/.done" ] ||
     [ "$(cat "$BUILD/ksrc/.version" 2>/dev/null)" != "$PKGVER+$KSRC_LAYOUT" ]; }; then
	apt_update
	if ! apt-cache show "linux-image-$KVER=$PKGVER" "linux-source-${KVER%%.*}.$(echo "$KVER" | cut -d. -f2)=$PKGVER" \
		>/dev/null 2>&1; then
		apt_update force
		say "linux-headers-$KVER $PKGVER has left the archive: moving to the newest kernel"
		apt_install linux-headers-amd64
		KVER=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		       grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 |
		       sed 's/^linux-headers-//')
		[ -d "/lib/modules/$KVER/build" ] || apt_install "linux-headers-$KVER"
		PKGVER=$(dpkg-query -W -f='${Version}' "linux-headers-$KVER")
	fi
fi

# udevadm, to try contrib/udev's rule in the VM (selftests/vm/contrib_udev.sh),
# from the udev package of the host's systemd version, extracted and not
# installed: installing udev would upgrade the host's systemd.
udev_tools() {
	local ver dir=$BUILD/udev deb
	# A machine without systemd (a container, a minimal root): udev of
	# the archive's current version, which it would install.
	ver=$(dpkg-query -W -f='${Version}' systemd 2>/dev/null) ||
		ver=$(apt-cache policy udev 2>/dev/null |
		      awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }')
	[ -n "$ver" ] || { say "no udev version to download: the udev rule test will be skipped"; return 0; }
	[ "$(cat "$dir/.version" 2>/dev/null)" != "$ver" ] || return 0
	if ! deb=$(fetch udev "$ver" 2>/dev/null); then
		say "no udev $ver to download: the udev rule test will be skipped"
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir"
	echo "$ver" > "$dir/.version"
	say "udev $ver extracted to $dir"
}

kernel_image "$KVER" "$PKGVER"
kernel_source "$BUILD/ksrc" "$KVER" "$PKGVER"
udev_tools

[ ${#missing[@]} -gt 0 ] || say "all present (kernel $KVER, $PKGVER)"
