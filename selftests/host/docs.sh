#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Documentation: every page is valid reStructuredText, every toctree entry
# exists, every aioload option is documented in aioload.rst and the man
# page, and the man page renders without warnings.  (The VM test
# docs_tunables.sh checks the sysfs and cgroup files.)
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
rst2html=$(command -v rst2html || command -v rst2html.py)
[ -n "$rst2html" ] || skip_all "docutils missing (make deps)"

for f in Documentation/*.rst; do
	[ "$f" = Documentation/index.rst ] && continue
	if msg=$("$rst2html" --halt=warning --report=warning "$f" /dev/null 2>&1); then
		t_ok "valid reStructuredText: $f"
	else
		t_fail "valid reStructuredText: $f"
		echo "$msg" | head -5
	fi
done
for e in $(sed -n '/toctree::/,$p' Documentation/index.rst | awk 'NF == 1 && $1 !~ /:/ { print $1 }'); do
	t_check "index entry $e exists" test -f "Documentation/$e.rst"
done
for f in Documentation/*.rst; do
	[ "$f" = Documentation/index.rst ] && continue
	b=$(basename "$f" .rst)
	t_check "$b is in the index" grep -qx "   $b" Documentation/index.rst
done

a=tools/aioload/aioload
if [ -x $a ]; then
	opts=$($a --help 2>&1 | grep -o -- '--[a-z][a-z0-9_-]*' | sort -u)
	t_check "aioload --help lists options" test -n "$opts"
	miss_rst="" miss_man=""
	man=$(MANWIDTH=250 man -l tools/aioload/aioload.1 2>/dev/null | col -b)
	for o in $opts; do
		grep -q -- "$o" Documentation/aioload.rst 2>/dev/null || miss_rst+=" $o"
		grep -q -- "$o" <<<"$man" || miss_man+=" $o"
	done
	t_eq "every aioload option is in Documentation/aioload.rst" "${miss_rst:-none missing}" "none missing"
	t_eq "every aioload option is in aioload.1" "${miss_man:-none missing}" "none missing"
	if [ -f tools/aioload/aioload.1 ]; then
		w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l tools/aioload/aioload.1 2>&1 >/dev/null)
		t_eq "aioload.1 renders without warnings" "${w:-clean}" clean
	else
		t_fail "aioload.1 exists"
	fi
fi
t_check "README links the documentation" grep -q 'Documentation/' README.md
t_done
