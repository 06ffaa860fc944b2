#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# dkms add, build, install and remove work against the packaged headers,
# fetching the private block headers by themselves.
. "$(dirname "$0")/../lib.sh"
need_root
need_cmd dkms
cd "$ELVX_TOP"
kver=${KVER:-$(ls /lib/modules | grep -- '-amd64$' | sort -V | tail -1)}
[ -d "/lib/modules/$kver/build" ] || skip_all "no headers for $kver"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
t_eq "dkms.conf version matches the module's" "$ver" \
	"$(sed -n 's/^#define ELVX_VERSION\t*"\(.*\)"/\1/p' module/elvx.h)"

# dkms works on /usr/src/elvx-VER; give it a clean copy of the tree.
src=/usr/src/elvx-$ver
dkms remove -m elvx -v "$ver" --all >/dev/null 2>&1
rm -rf "$src"
mkdir -p "$src"
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src"
trap 'dkms remove -m elvx -v "$ver" --all >/dev/null 2>&1; rm -rf "$src"' EXIT

t_check "dkms add" dkms add -m elvx -v "$ver" -q
if dkms build -m elvx -v "$ver" -k "$kver" -q > /tmp/elvx-dkms.log 2>&1; then
	t_ok "dkms build for $kver"
else
	t_fail "dkms build for $kver"
	tail -20 /tmp/elvx-dkms.log
	tail -20 /var/lib/dkms/elvx/"$ver"/build/make.log 2>/dev/null
fi
ko=$(find /var/lib/dkms/elvx/"$ver"/"$kver" -name 'elvx.ko*' 2>/dev/null | head -1)
t_check "the built module is there" test -n "$ko"
t_check "it is built for $kver" bash -c "modinfo -F vermagic '$ko' | grep -q '^$kver '"
t_check "dkms install" dkms install -m elvx -v "$ver" -k "$kver" -q --force
t_check "installed under /lib/modules/$kver" bash -c "ls /lib/modules/$kver/updates/dkms/elvx.ko* /lib/modules/$kver/extra/elvx.ko* 2>/dev/null | grep -q ."
t_check "dkms remove" dkms remove -m elvx -v "$ver" --all -q
t_check "nothing left installed" bash -c "! ls /lib/modules/$kver/updates/dkms/elvx.ko* /lib/modules/$kver/extra/elvx.ko* 2>/dev/null | grep -q ."
t_done
