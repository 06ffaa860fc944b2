#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-fresh: the README's two commands on a really fresh Debian 12.
# A minimal bookworm root is made with debootstrap (minbase, plus only git
# and make, what a user needs to type the commands: no linux-headers, no
# qemu, no fio, no compiler), with this machine's Debian apt sources; the
# repository's HEAD is cloned into it, and inside it, as root, chrooted with
# /proc, /sys and /dev bound, run
#
#     make demo      then      make check
#
# each timed, their output in $BUILD/fresh/{demo,check}.log.  Exits
# non-zero when either fails.  Not part of make check: it downloads and
# installs everything (about 1 GiB) and runs the whole VM suite again.
#
#   FRESH_TESTS="GLOB..."  passed to the inner make check as ELVX_TESTS
#   FRESH_CI=1             run .ci/run (CI=true: both kernels) instead of
#                          make check
#   FRESH_KEEP=1           keep the root afterwards ($BUILD/fresh/root)
#
# The guest of the inner make uses this machine's VM lock (elvx-vm's
# ELVX_VM_LOCKDIR), so it never runs beside another guest.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
BUILD=${BUILD:-$top/build}
say() { printf 'check-fresh: %s\n' "$*"; }
die() { printf 'check-fresh: %s\n' "$*" >&2; exit 1; }
. tools/lib-host.sh

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
	die "cannot install debootstrap"
git rev-parse --verify -q HEAD >/dev/null || die "not a git checkout"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	say "uncommitted changes are not in the clone: it tests HEAD $(git rev-parse --short HEAD)"
mirror=$(host_uri main)
[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list{,.d}"

dir=$BUILD/fresh root=$BUILD/fresh/root
mkdir -p "$dir"
cleanup() {
	unmount_under "$root"
	[ -n "${FRESH_KEEP:-}" ] || rm -rf "$root"
}
trap cleanup EXIT
unmount_under "$root"
rm -rf "$root"

t0=$(date +%s)
say "debootstrap bookworm (minbase, git, make) from $mirror"
debootstrap --variant=minbase --include=git,make,ca-certificates bookworm \
	"$root" "$mirror" > "$dir/debootstrap.log" 2>&1 ||
	die "debootstrap failed (see $dir/debootstrap.log)"
say "  took $(( $(date +%s) - t0 )) s"

# A machine's own apt sources (main, updates, security) and name service.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] && grep -q 'debian' "$f" && cp "$f" "$root/etc/apt/sources.list.d/"
done
cp /etc/resolv.conf /etc/hosts "$root/etc/" 2>/dev/null || true
for p in gcc qemu-system-x86_64 fio; do
	! chroot "$root" sh -c "command -v $p" >/dev/null ||
		die "the fresh root already has $p"
done
! chroot "$root" dpkg-query -W linux-headers-amd64 >/dev/null 2>&1 ||
	die "the fresh root already has linux-headers-amd64"

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$BUILD/vm" "$root/run/elvx-host-vm"
mount --bind "$BUILD/vm" "$root/run/elvx-host-vm"
mkdir -p "$root/srv/elvx.git"
mount --bind -o ro "$top/.git" "$root/srv/elvx.git"
chroot "$root" git clone -q /srv/elvx.git /root/elvx ||
	die "git clone in the fresh root failed"
say "cloned $(git rev-parse --short HEAD) into /root/elvx"

inner() {	# NAME COMMAND: run COMMAND in the clone, timed, into NAME.log
	local name=$1 t rc
	shift
	say "$name: $*"
	t=$(date +%s)
	set +e
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		ELVX_VM_LOCKDIR=/run/elvx-host-vm ${FRESH_TESTS:+ELVX_TESTS="$FRESH_TESTS"} \
		bash -c 'cd /root/elvx && "$@" < /dev/null' inner "$@" > "$dir/$name.log" 2>&1
	rc=$?
	set -e
	say "  $name took $(( $(date +%s) - t )) s, exit $rc; last lines:"
	tail -3 "$dir/$name.log" | sed 's/^/    /'
	return $rc
}

rc=0
inner demo make demo || rc=1
if [ -n "${FRESH_CI:-}" ]; then
	inner check env CI=true bash .ci/run || rc=1
else
	inner check make check || rc=1
fi
say "$([ $rc = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - t0 )) s in all (logs in $dir)"
exit $rc
