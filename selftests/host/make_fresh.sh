#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# The first make demo and make check on a fresh machine: the Makefile picks
# its kernel (KVER, KDIR) after make deps has installed the headers, not
# when make reads it.  The real Makefile and module run in a scratch copy
# of the tree whose tools/deps.sh, demo, tools and selftests are stubs, with
# a dpkg-query on PATH that knows linux-headers-amd64 only once the stub
# deps "installed" it (or, for an ABI move, knows an older kernel until
# then).  Each stub records the KVER and KDIR its recipe saw.
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
       grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 | sed 's/^linux-headers-//')
[ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ] || skip_all "run make deps first"
[ -f build/ksrc/block/elevator.h ] || skip_all "run make deps first"

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
tree=$t/tree stub=$t/stub
mkdir -p "$tree/tools" "$tree/selftests" "$tree/build" "$stub"
cp Makefile Kbuild "$tree/"
cp -r module "$tree/module"
rm -f "$tree"/module/*.o "$tree"/module/*.ko "$tree"/module/*.mod* "$tree"/module/.*.cmd
ln -s "$ELVX_TOP/build/ksrc" "$tree/build/ksrc"

# dpkg-query: linux-headers-amd64 is whatever $stub/headers names, if any.
cat > "$stub/dpkg-query" <<EOF
#!/bin/bash
pkg=\${!#}
if [ "\$pkg" = linux-headers-amd64 ] && [ -s "$stub/headers" ]; then
	printf 'linux-headers-%s (= 1)' "\$(cat "$stub/headers")"
	exit 0
fi
echo "dpkg-query: no packages found matching \$pkg" >&2
exit 1
EOF
# make deps installs the headers; the others record what they were given.
echo "echo $kver > '$stub/headers'; echo 'stub deps: headers installed'" > "$tree/tools/deps.sh"
rec='echo "KVER=$KVER KDIR=$KDIR" >> '"'$stub/seen'"
echo "$rec" > "$tree/tools/demo.sh"
printf 'all:\n\t@%s\nclean:\n' "$rec" | sed 's/\$/$$/g' > "$tree/tools/Makefile"
printf 'all:\nclean:\n' > "$tree/selftests/Makefile"
echo "$rec" > "$tree/selftests/run-all.sh"
chmod +x "$stub/dpkg-query"

want="KVER=$kver KDIR=/lib/modules/$kver/build"
run() {	# TARGET: one make TARGET in the scratch tree, from a clean module
	rm -f "$stub/seen" "$tree/module/elvx.ko"
	env -u KVER -u KDIR -u KSRC -u BUILD -u MAKEFLAGS -u MAKELEVEL \
		PATH="$stub:$PATH" make -C "$tree" "$1" > "$t/out" 2>&1
}

for target in demo check; do
	rm -f "$stub/headers"
	run $target
	rc=$?
	t_check "fresh machine: the first make $target succeeds" test $rc = 0
	[ $rc = 0 ] || sed -n '1,12s/^/#   /p' "$t/out"
	t_check "fresh machine: make $target built the module" test -f "$tree/module/elvx.ko"
	t_eq "fresh machine: make $target's recipes saw the kernel deps installed" \
		"$(sort -u "$stub/seen" 2>/dev/null | tr '\n' ' ')" "$want "
done

# The ABI number moved (6.1.0-56 -> 6.1.0-57): the headers package the
# machine had before make deps names a kernel that deps then replaces.
echo 6.1.0-1-amd64 > "$stub/headers"
run demo
rc=$?
t_check "ABI move: make demo succeeds" test $rc = 0
t_eq "ABI move: make demo's recipes saw the new kernel" \
	"$(sort -u "$stub/seen" 2>/dev/null | tr '\n' ' ')" "$want "

# No make target may fix the kernel at parse time: a := of KVER, KDIR or
# anything derived from dpkg-query or build/ would undo the above.
t_check "the Makefile sets KVER and KDIR lazily (no :=)" \
	bash -c "! grep -Eq '^(override +)?(KVER|KDIR|KSRC)[[:space:]]*:=' Makefile"
t_done
