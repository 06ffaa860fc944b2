# SPDX-License-Identifier: GPL-2.0
#
# elvx: blk-mq I/O schedulers (cfq, xdeadline) as an out-of-tree module.
#
#   make              build module/elvx.ko and the tools
#   make demo         build, boot the VM, show the schedulers side by side
#   make check        every test: host unit tests and VM selftests
#   make deps         install what this machine lacks (run by demo and check)
#   make check-fresh  demo and check on a fresh Debian 12 root (debootstrap)
#
# KVER   the Debian kernel the VM boots (default: linux-headers-amd64's)
# KDIR   the kernel build tree (default: /lib/modules/$(KVER)/build);
#        on a real machine: make KDIR=/lib/modules/$(uname -r)/build
# KSRC   kernel source of the same version, for the private block/ headers
#        (default: build/ksrc, extracted by make deps)
#
# KVER=6.12  Debian 13's 6.12 (its current release; make deps KVER=6.12
#        fetches it once): built in a trixie chroot into build/trixie/KVER/
#        (tools/kbuild-chroot.sh), and make check runs the VM selftests on
#        it.  ELVX_SRC=DIR builds another copy of the sources.
# KVER=7.2  Debian unstable's (sid) 7.2 the same way, in build/sid/;
#        make check runs the core VM tests there (ELVX_72_CORE), unless
#        ELVX_TESTS names others ('*' for all).
# ELVX_612=1  make check covers 6.12 too (the default when CI=true): the
#        6.12 deps, the module built for it and a second VM pass on it,
#        of ELVX_612_TESTS (default: ELVX_TESTS, else every test)

BUILD	?= $(CURDIR)/build
# KVER, KDIR and the 6.12 settings below stay recursive (=, ?=): on a fresh
# machine make deps installs linux-headers-amd64 after this file is read, so
# they are evaluated where a recipe uses them.  The targets that need them
# (demo, check, bench, stress) have deps as a prerequisite, so their
# recipes, and the environment make exports to those recipes, see what deps
# installed (selftests/host/make_fresh.sh holds that).  Nothing here may be
# := of something make deps installs or extracts.
KVER	?= $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
		grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 | \
		sed 's/^linux-headers-//')
# The kernels built in a chroot of their Debian suite (tools/deps.sh).
KSUITE	= $(if $(filter 6.12 6.12.%,$(KVER)),trixie,$(if $(filter 7.2 7.2.%,$(KVER)),sid))
ifneq ($(KSUITE),)
ifeq ($(wildcard /lib/modules/$(KVER)/build)$(filter command line,$(origin KDIR)),)
KCHROOT	:= $(BUILD)/$(KSUITE)/root
ifneq ($(filter 6.12 7.2,$(KVER)),)
KSERIES	:= $(KVER)
override KVER = $(shell cat $(dir $(KCHROOT))kver 2>/dev/null || echo $(KSERIES))
endif
override KDIR = $(KCHROOT)/usr/src/linux-headers-$(KVER)
ifneq ($(origin KSRC),command line)
override KSRC = $(BUILD)/ksrc-$(KVER)
endif
ELVX_KO	?= $(BUILD)/$(KSUITE)/$(KVER)/elvx.ko
export ELVX_KO ELVX_SRC
# make check KVER=7.2: cfq (with its cgroups), xdeadline, the elevator
# checks and switching under load, about 15 minutes under TCG; ELVX_TESTS
# narrows or widens it ('*': every VM test).
ifeq ($(KSUITE),sid)
ELVX_72_CORE = cfq* xdeadline* elevators* stress_switch
ELVX_TESTS ?= $(ELVX_72_CORE)
export ELVX_TESTS
endif
endif
endif
KDIR	?= /lib/modules/$(KVER)/build
KSRC	?= $(BUILD)/ksrc
VM	:= tools/vm/elvx-vm

export BUILD KVER KDIR KSRC

# CI covers both kernels; make check KVER=6.12 is the 6.12 pass alone.
# The 6.12 pass of make check ELVX_612=1 runs every VM test, as the 6.1
# pass does (about 22 minutes under TCG); ELVX_612_TESTS=GLOBS narrows it.
ifeq ($(KCHROOT),)
ELVX_612 ?= $(if $(filter true 1,$(CI)),1,0)
else
override ELVX_612 = 0
endif
ELVX_612_TESTS ?= $(ELVX_TESTS)
export ELVX_612 ELVX_612_TESTS

srcver = $(shell awk '/^VERSION =/{v=$$3} /^PATCHLEVEL =/{p=$$3} \
	/^SUBLEVEL =/{s=$$3} END{if (v != "") print v "." p "." s}' $(1)/Makefile 2>/dev/null)

.PHONY: format format-check lint-ci stress all modules tools selftests deps check check-host check-vm demo check-fresh \
	bench stress lint sparse checkpatch clean distclean vm-shell help

all: modules tools

modules: ksrc-check
ifeq ($(KCHROOT),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) ELVX_KBLOCK=$(abspath $(KSRC))/block modules
else
	@bash tools/kbuild-chroot.sh modules
endif

ksrc-check:
ifeq ($(KCHROOT),)
	@test -d $(KDIR) || { echo "elvx: no kernel build tree at $(KDIR) (run make deps, or set KDIR)"; exit 1; }
	@test -f $(KSRC)/block/elevator.h || { echo "elvx: no kernel source headers in $(KSRC) (run make deps, or set KSRC)"; exit 1; }
	@h=$$($(MAKE) -s --no-print-directory -C $(KDIR) kernelversion 2>/dev/null); s="$(call srcver,$(KSRC))"; \
	if [ "$$h" != "$$s" ]; then \
		echo "elvx: kernel headers in $(KDIR) are $$h but the source in $(KSRC) is $$s: they must match"; exit 1; fi
endif

tools:
	$(MAKE) -C tools

selftests:
	$(MAKE) -C selftests

# KVER goes to deps only when the user gave it: the default is deps's own
# choice, which may move to a newer kernel when the installed one has left
# Debian's archive.
deps:
	@$(if $(filter file,$(origin KVER)),env -u KVER) bash tools/deps.sh

# demo, check, bench and stress: deps first, as a prerequisite and not as
# the first line of the recipe.  make computes the environment of a recipe
# (the exported KVER and KDIR) when the recipe starts, once for all its
# lines: after deps has run, so a fresh machine's first run sees the
# kernel that deps has just installed.
# check: deps, build, then host tests and VM selftests; one summary line.
check: deps
	@$(MAKE) -s all selftests >/dev/null 2>&1 || $(MAKE) all selftests
	@bash selftests/run-all.sh $(if $(KCHROOT),--vm-only)

check-host: all selftests
	@bash selftests/run-all.sh --host-only

check-vm: all selftests
	@bash selftests/run-all.sh --vm-only

demo: deps
	@$(MAKE) -s all >/dev/null 2>&1 || $(MAKE) all
	@bash tools/demo.sh

bench: deps
	@$(MAKE) -s all >/dev/null 2>&1 || $(MAKE) all
	@bash tools/bench/bench.sh

stress: deps
	@$(MAKE) -s all >/dev/null 2>&1 || $(MAKE) all
	@bash tools/stress/stress.sh

# The README's two commands on a fresh Debian 12 root (debootstrap); not
# part of make check (Documentation/testing.rst).
check-fresh:
	@bash tools/check-fresh.sh

vm-shell: all
	$(VM) --nullb -- /bin/bash

sparse: ksrc-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) ELVX_KBLOCK=$(abspath $(KSRC))/block C=2 modules

MODULE_SRC = $(shell git ls-files 'module/*.c' 'module/*.h')
checkpatch:
	perl $(KSRC)/scripts/checkpatch.pl --no-tree --quiet --terse --show-types -f $(MODULE_SRC)

# The tools follow the kernel's .clang-format.
TOOLS_C = $(shell git ls-files 'tools/*.c' 'tools/*.h')
format:
	clang-format -i --style=file:$(KSRC)/.clang-format $(TOOLS_C)

format-check:
	clang-format --dry-run -Werror --style=file:$(KSRC)/.clang-format $(TOOLS_C)

# make lint says what CI says (selftests/host/lint.sh, inside make check):
# no checkpatch ERROR, no WARNING but those justified in
# selftests/host/checkpatch.allow, no sparse warning from our files, the
# tools' C formatted.  checkpatch, sparse and format-check above show
# everything the tools print, allowed or not.
lint: ksrc-check
	@mkdir -p $(BUILD)
	@bash selftests/host/lint.sh > $(BUILD)/lint.tap; rc=$$?; grep -v '^ok' $(BUILD)/lint.tap; \
		test $$rc = 0 && echo "lint: clean"

lint-ci: deps
	@$(MAKE) -s lint

# Not kbuild's clean: with M=$(CURDIR) it deletes every *.o, *.a, *.ko and
# *.ko.* below, build/ included (the VM kernels' modules, the chroot's libc).
clean:
	rm -f module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
		module/modules.order modules.order Module.symvers .*.cmd .*.o
	$(if $(KCHROOT),rm -rf $(KCHROOT)/elvx/$(KVER) && rm -f $(ELVX_KO))
	-$(MAKE) -C tools clean
	-$(MAKE) -C selftests clean
	rm -rf $(BUILD)/vm/results $(BUILD)/selftests

distclean: clean
	rm -rf $(BUILD)

help:
	@sed -n '3,/^[^#]/p' Makefile | sed '$$d; s/^# \{0,1\}//'
