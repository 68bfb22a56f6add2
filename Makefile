# netns: a network-namespace manager. See README.md.
-include config.mk

VERSION = 0.1.0

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# Where the stock lua5.4 looks for modules, so `require "netns"` works.
LUADIR ?= $(PREFIX)/share/lua/5.4
LUACDIR ?= $(PREFIX)/lib/lua/5.4
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
NETNS_RUN_DIR ?= /run/netns
NETNS_ETC_DIR ?= /etc/netns
PKG_CONFIG ?= pkg-config
LUA_PC ?= lua5.4
LUA ?= lua5.4
LUAC ?= luac5.4
CC ?= cc
CFLAGS ?= -O2 -g

# Debian packages the build and the demo need, and those the tests add.
DEMO_DEPS = gcc libc6-dev make pkg-config liblua5.4-dev libmnl-dev lua5.4 \
	iproute2 util-linux procps iputils-ping libreadline8
CHECK_DEPS = tmux bash-completion luarocks systemd jq clang \
	libclang-rt-14-dev valgrind
DEB_DEPS = $(DEMO_DEPS) $(CHECK_DEPS)

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LUA_PC) libmnl 2>/dev/null)
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
LUA_LIBS := $(shell $(PKG_CONFIG) --libs $(LUA_PC) 2>/dev/null)
# Lua is linked statically into the binary: resolving a shared liblua's
# symbols at every start costs more than running a whole command. libmnl
# is not linked at all: the first netlink socket loads it (core/mnl.c).
PKG_LIBS = -Wl,-Bstatic $(LUA_LIBS) -Wl,-Bdynamic -lm -ldl -pthread
LAZY_MNL = -DNETNS_LAZY_MNL

NC_CPPFLAGS = -D_GNU_SOURCE -Icore -Ibuild \
	-DNETNS_RUN_DIR='"$(NETNS_RUN_DIR)"' \
	-DNETNS_ETC_DIR='"$(NETNS_ETC_DIR)"' \
	-DNETNS_LUA_DIR='"$(LUADIR)"' \
	-DNETNS_VERSION='"$(VERSION)"'
NC_CFLAGS = -std=c99 -Wall -Wextra $(PKG_CFLAGS)
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer

CORE_SRC = core/addr.c core/core.c core/fs.c core/inotify.c core/link.c \
	core/main.c core/mnl.c core/mount.c core/ns.c core/proc.c \
	core/readline.c core/route.c core/rtnl.c core/util.c
LUA_SRC = $(sort $(wildcard lua/netns/*.lua))
# Compiled to bytecode for the binary, so no start-up time goes on parsing;
# stripped of debug information, which halves loading. NETNS_LUA_DIR (see
# README) runs the sources, with line numbers, when debugging.
LUA_BC = $(LUA_SRC:%.lua=build/%.luac)
OBJ = $(CORE_SRC:core/%.c=build/%.o) build/embed.o
SAN_OBJ = $(CORE_SRC:core/%.c=build/asan/%.o) build/asan/embed.o
# The C modules without the interpreter, for the stock lua5.4, as
# netns/core.so: require "netns.core" preloads them all.
MOD_OBJ = $(filter-out build/pic/main.o,$(CORE_SRC:core/%.c=build/pic/%.o))

# What every object is built again for, besides its source.
OBJ_DEPS = core/core.h core/embed.h core/rtnl.h Makefile build/config.stamp

.PHONY: all check check-asan check-valgrind demo deps demo-deps install \
	uninstall clean help asan deb fuzz FORCE

all: build/netns build/lib/netns/core.so

build/netns: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

build/%.o: core/%.c $(OBJ_DEPS) | build
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(LAZY_MNL) $(NC_CFLAGS) $(CFLAGS) \
		-c -o $@ $<

build/lua/netns/%.luac: lua/netns/%.lua Makefile
	@mkdir -p $(@D)
	$(LUAC) -s -o $@ $<

build/embed.c: $(LUA_BC) core/embed.sh | build
	core/embed.sh $(LUA_BC) > $@.tmp && mv $@.tmp $@

build/embed.o: build/embed.c core/embed.h
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -c -o $@ $<

build/lib/netns/core.so: $(MOD_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared $(CFLAGS) $(LDFLAGS) -o $@ $(MOD_OBJ) -lmnl -pthread

build/pic/%.o: core/%.c $(OBJ_DEPS) | build/pic
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

asan: build/asan/netns

build/asan/netns: $(SAN_OBJ)
	$(CC) $(SAN_FLAGS) -g -o $@ $(SAN_OBJ) $(PKG_LIBS)

build/asan/%.o: core/%.c $(OBJ_DEPS) | build/asan
	$(CC) $(NC_CPPFLAGS) $(LAZY_MNL) $(NC_CFLAGS) $(SAN_FLAGS) -O1 -g \
		-c -o $@ $<

build/asan/embed.o: build/embed.c core/embed.h | build/asan
	$(CC) $(NC_CPPFLAGS) $(NC_CFLAGS) $(SAN_FLAGS) -O1 -g -c -o $@ $<

build build/asan build/pic:
	mkdir -p $@

# What the objects compile in from the command line or config.mk: when it
# changes, the stamp does, and every object is built again.
CONFIG = $(NETNS_RUN_DIR) $(NETNS_ETC_DIR) $(LUADIR) $(VERSION)
build/config.stamp: FORCE | build
	@echo '$(CONFIG)' | cmp -s - $@ || echo '$(CONFIG)' > $@

FORCE:

# Installs the Debian packages above that are missing; needs root.
deps demo-deps:
	@missing=; \
	for p in $(if $(filter demo-deps,$@),$(DEMO_DEPS),$(DEB_DEPS)); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

demo: demo-deps
	$(MAKE) all
	sh scripts/demo.sh build/netns

# The tests run stdbuf(1), whose preloaded library ASan would refuse.
ASAN_ENV = ASAN_OPTIONS=verify_asan_link_order=0:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

check: deps
	$(MAKE) all asan
	$(LUA) tests/run.lua
	$(ASAN_ENV) NETNS=$(CURDIR)/build/asan/netns $(LUA) tests/run.lua
	$(MAKE) check-valgrind
	$(MAKE) fuzz

# libFuzzer targets for the batch parser and the netlink reply parsers,
# each run FUZZ_SECONDS over its seeds in tests/fuzz/corpus/; a crash
# stops make and leaves its input in build/fuzz/.
FUZZ_SECONDS ?= 20
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	-Icore $(PKG_CFLAGS)
FUZZ_NL = rtnl link addr route
FUZZ_BIN = build/fuzz/batch $(FUZZ_NL:%=build/fuzz/%)

build/fuzz/batch: tests/fuzz/fuzz_batch.c | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LUA_LIBS) -lm

FUZZ_NL_DEPS = tests/fuzz/fuzz_nl.c core/rtnl.c core/mnl.c core/util.c

build/fuzz/rtnl: $(FUZZ_NL_DEPS) | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZ_RTNL -o $@ $< core/mnl.c core/util.c \
		$(LUA_LIBS) $(MNL_LIBS) -lm

build/fuzz/%: $(FUZZ_NL_DEPS) core/%.c | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZ_$(shell echo $* | tr a-z A-Z) -o $@ \
		$< core/rtnl.c core/mnl.c core/util.c $(LUA_LIBS) $(MNL_LIBS) -lm

build/fuzz:
	mkdir -p $@

fuzz: $(FUZZ_BIN)
	@rm -f build/fuzz/report
	@for t in batch $(FUZZ_NL); do \
		mkdir -p build/fuzz/corpus-$$t; \
		build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 -artifact_prefix=build/fuzz/$$t- \
			build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
			> build/fuzz/$$t.log 2>&1 || { sed -n \
			'/==ERROR\|runtime error\|raised:\|deadly/,$$p' \
			build/fuzz/$$t.log | head -40; exit 1; }; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' \
			build/fuzz/$$t.log); \
		echo "fuzz $$t: $$runs inputs in $(FUZZ_SECONDS) s, no crash" \
			| tee -a build/fuzz/report; \
	done

# The suite with the binary under valgrind: every start costs some 0.3 s,
# so it takes about ten times the plain run; VALGRIND_FILTER=case runs
# only the reference cases.
VALGRIND_FILTER ?=
check-valgrind: all
	NETNS_UNDER_VALGRIND=$(CURDIR)/build/netns \
		NETNS=$(CURDIR)/tests/valgrind-netns \
		$(LUA) tests/run.lua $(VALGRIND_FILTER)

check-asan: asan
	$(ASAN_ENV) NETNS=$(CURDIR)/build/asan/netns $(LUA) tests/run.lua

UNITS = netns@.service netns-topology@.service

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(LUADIR)/netns \
		$(DESTDIR)$(LUACDIR)/netns
	install -m 0755 build/netns $(DESTDIR)$(SBINDIR)/netns
	install -m 0644 man/netns.8 $(DESTDIR)$(MANDIR)/man8/netns.8
	install -m 0644 man/netns-lua.7 man/netns-net.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 $(LUA_SRC) $(DESTDIR)$(LUADIR)/netns/
	install -m 0644 build/lib/netns/core.so $(DESTDIR)$(LUACDIR)/netns/core.so
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDDIR)
	install -m 0644 scripts/completion/netns $(DESTDIR)$(BASHCOMPDIR)/netns
	for u in $(UNITS); do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' scripts/systemd/$$u \
			> $(DESTDIR)$(SYSTEMDDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/$$u || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/netns $(DESTDIR)$(MANDIR)/man8/netns.8 \
		$(DESTDIR)$(MANDIR)/man7/netns-lua.7 \
		$(DESTDIR)$(MANDIR)/man7/netns-net.7 \
		$(DESTDIR)$(LUACDIR)/netns/core.so
	rm -f $(LUA_SRC:lua/netns/%=$(DESTDIR)$(LUADIR)/netns/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/netns \
		$(UNITS:%=$(DESTDIR)$(SYSTEMDDIR)/%)
	-rmdir $(DESTDIR)$(LUADIR)/netns $(DESTDIR)$(LUACDIR)/netns 2>/dev/null

# A Debian package of the files install puts under /usr, built with
# dpkg-deb alone; it depends on the runtime libraries, not on -dev ones.
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB = build/netns_$(VERSION)_$(DEB_ARCH).deb

deb: $(DEB)

# Built from a copy of the tree (config.mk included) for PREFIX=/usr, so
# that the binary looks for Lua modules under /usr and build/ stays as
# configured.
DEB_SRC = Makefile LICENSE core lua man scripts

$(DEB): all
	rm -rf build/deb build/debsrc
	mkdir -p build/debsrc
	cp -R $(DEB_SRC) $(wildcard config.mk) build/debsrc/
	$(MAKE) -C build/debsrc install DESTDIR=$(CURDIR)/build/deb \
		PREFIX=/usr SYSTEMDDIR=/lib/systemd/system
	gzip -9n build/deb/usr/share/man/man*/*
	install -d build/deb/usr/share/doc/netns
	install -m 0644 LICENSE build/deb/usr/share/doc/netns/copyright
	mkdir -p build/deb/DEBIAN
	printf '%s\n' 'Package: netns' 'Version: $(VERSION)' \
		'Architecture: $(DEB_ARCH)' \
		'Maintainer: netns developers <netns@localhost>' \
		'Depends: libc6, libmnl0, iproute2' \
		'Suggests: libreadline8, lua5.4' 'Section: net' \
		'Priority: optional' \
		'Description: network-namespace manager compatible with ip netns' \
		' Named network namespaces, as ip netns manages them, with the' \
		' commands written in Lua on a small C core; a Lua library, script' \
		' files, batch files and an interactive prompt.' \
		> build/deb/DEBIAN/control
	dpkg-deb --root-owner-group --build build/deb $@

clean:
	rm -rf build netns core/*.o

help:
	@echo "make               build build/netns and build/lib/netns/core.so"
	@echo "make deps          install the Debian packages below (root)"
	@echo "make demo-deps     only those the build and the demo need"
	@echo "make demo          demo-deps, build, show it on namespaces (root)"
	@echo "make check         deps, build, the tests, valgrind, fuzzers (root)"
	@echo "make asan          build/asan/netns with ASan and UBSan"
	@echo "make check-asan    the tests against that build"
	@echo "make check-valgrind  the whole suite under valgrind"
	@echo "                   (VALGRIND_FILTER=case: only some cases)"
	@echo "make fuzz          the fuzz targets, FUZZ_SECONDS each"
	@echo "make install       PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"
	@echo "make uninstall     remove what install put there"
	@echo "make deb           a Debian package in build/"
	@echo "make clean         remove build/ and what luarocks make left"
	@echo "packages: $(DEMO_DEPS)"
	@echo "  and for the tests: $(CHECK_DEPS)"
