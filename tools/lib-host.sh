# SPDX-License-Identifier: GPL-2.0
#
# Shell functions of the host scripts (tools/deps.sh, tools/check-fresh.sh):
# source it after defining die().

host_uri() {	# main|security: the first Debian URI of the host's apt sources
	local want=$1
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null
		echo
		sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) \([^ ]*\).*/Types: deb\nURIs: \2\nSuites: \3\n/p' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
		true
	} | awk -v want="$want" '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && uri != "")
				for (i = 1; i <= n; i++) {
					kind = suites[i] ~ /-security$/ ? "security" : "main"
					if (kind == want && !found) { print uri; found = 1 }
				}
			types = ""; uri = ""; n = 0
		}
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { types = $0; sub(/^Types:[ \t]*/, "", types) }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { n = split(substr($0, 8), suites, " ") }
		END { flush() }'
}

unmount_under() {	# DIR: unmount whatever debootstrap left mounted under DIR
	local d
	[ -d "$1" ] || return 0
	d=$(cd "$1" && pwd -P)
	awk -v d="$d" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r m; do umount -l "$m"; done
	! awk -v d="$d" '$2 == d || index($2, d "/") == 1 { f = 1 } END { exit !f }' /proc/mounts ||
		die "cannot unmount what is mounted under $d"
}
