# netns: a network-namespace manager. See README.md.
-include config.mk

VERSION = 0.1.0

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# Where the stock lua5.4 looks for modules, so `require "netns"` works.
LUADIR ?= $(PREFIX)/share/lua/5.4
LUACDIR ?= $(PREFIX)/lib/lua/5.4
NETNS_RUN_DIR ?= /run/netns
NETNS_ETC_DIR ?= /etc/netns
PKG_CONFIG ?= pkg-config
LUA_PC ?= lua5.4
LUA ?= lua5.4
LUAC ?= luac5.4
CC ?= cc
CFLAGS ?= -O2 -g

# Debian packages the build, the tests and the demo need.
DEB_DEPS = gcc libc6-dev make pkg-config liblua5.4-dev libmnl-dev lua5.4 \
	iproute2 util-linux procps iputils-ping \
	libreadline8 tmux

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LUA_PC) libmnl 2>/dev/null)
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
LUA_LIBS := $(shell $(PKG_CONFIG) --libs $(LUA_PC) 2>/dev/null)
# Lua is linked statically into the binary: resolving a shared liblua's
# symbols at every start costs more than running a whole command.
PKG_LIBS = -Wl,-Bstatic $(LUA_LIBS) -Wl,-Bdynamic $(MNL_LIBS) -lm -ldl

NC_CPPFLAGS = -D_GNU_SOURCE -Icore -Ibuild \
	-DNETNS_RUN_DIR='"$(NETNS_RUN_DIR)"' \
	-DNETNS_ETC_DIR='"$(NETNS_ETC_DIR)"' \
	-DNETNS_LUA_DIR='"$(LUADIR)"' \
	-DNETNS_VERSION='"$(VERSION)"'
NC_CFLAGS = -std=c99 -Wall -Wextra $(PKG_CFLAGS)
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer

CORE_SRC = core/fs.c core/inotify.c core/main.c core/mount.c core/ns.c \
	core/proc.c core/readline.c core/rtnl.c core/util.c
LUA_SRC = $(sort $(wildcard lua/netns/*.lua))
# Compiled to bytecode for the binary, so no start-up time goes on parsing;
# stripped of debug information, which halves loading. NETNS_LUA_DIR (see
# README) runs the sources, with line numbers, when debugging.
LUA_BC = $(LUA_SRC:%.lua=build/%.luac)
OBJ = $(CORE_SRC:core/%.c=build/%.o) build/embed.o
SAN_OBJ = $(CORE_SRC:core/%.c=build/asan/%.o) build/asan/embed.o
# The C modules without the interpreter, for the stock lua5.4: require
# "netns.core.fs" finds luaopen_netns_core_fs in netns.so.
MOD_OBJ = $(filter-out build/pic/main.o,$(CORE_SRC:core/%.c=build/pic/%.o))

.PHONY: all check check-asan demo deps install uninstall clean help asan

all: build/netns build/netns.so

build/netns: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

build/%.o: core/%.c core/core.h core/embed.h core/rtnl.h Makefile | build
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -c -o $@ $<

build/lua/netns/%.luac: lua/netns/%.lua Makefile
	@mkdir -p $(@D)
	$(LUAC) -s -o $@ $<

build/embed.c: $(LUA_BC) core/embed.sh | build
	core/embed.sh $(LUA_BC) > $@.tmp && mv $@.tmp $@

build/embed.o: build/embed.c core/embed.h
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -c -o $@ $<

build/netns.so: $(MOD_OBJ)
	$(CC) -shared $(CFLAGS) $(LDFLAGS) -o $@ $(MOD_OBJ) -lmnl

build/pic/%.o: core/%.c core/core.h core/embed.h core/rtnl.h Makefile | build/pic
	$(CC) $(CPPFLAGS) $(NC_CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

asan: build/asan/netns

build/asan/netns: $(SAN_OBJ)
	$(CC) $(SAN_FLAGS) -g -o $@ $(SAN_OBJ) $(PKG_LIBS)

build/asan/%.o: core/%.c core/core.h core/embed.h core/rtnl.h Makefile | build/asan
	$(CC) $(NC_CPPFLAGS) $(NC_CFLAGS) $(SAN_FLAGS) -O1 -g -c -o $@ $<

build/asan/embed.o: build/embed.c core/embed.h | build/asan
	$(CC) $(NC_CPPFLAGS) $(NC_CFLAGS) $(SAN_FLAGS) -O1 -g -c -o $@ $<

build build/asan build/pic:
	mkdir -p $@

# Installs the Debian packages above that are missing; needs root.
deps:
	@missing=; for p in $(DEB_DEPS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

demo: deps
	$(MAKE) all
	sh scripts/demo.sh build/netns

check: deps
	$(MAKE) all asan
	$(LUA) tests/run.lua
	NETNS=$(CURDIR)/build/asan/netns $(LUA) tests/run.lua

check-asan: asan
	NETNS=$(CURDIR)/build/asan/netns $(LUA) tests/run.lua

MAN_PAGES = man/netns.8 man/netns-lua.7

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(LUADIR)/netns \
		$(DESTDIR)$(LUACDIR)
	install -m 0755 build/netns $(DESTDIR)$(SBINDIR)/netns
	install -m 0644 man/netns.8 $(DESTDIR)$(MANDIR)/man8/netns.8
	install -m 0644 man/netns-lua.7 $(DESTDIR)$(MANDIR)/man7/netns-lua.7
	install -m 0644 $(LUA_SRC) $(DESTDIR)$(LUADIR)/netns/
	install -m 0644 build/netns.so $(DESTDIR)$(LUACDIR)/netns.so

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/netns $(DESTDIR)$(MANDIR)/man8/netns.8 \
		$(DESTDIR)$(MANDIR)/man7/netns-lua.7 $(DESTDIR)$(LUACDIR)/netns.so
	rm -f $(LUA_SRC:lua/netns/%=$(DESTDIR)$(LUADIR)/netns/%)
	-rmdir $(DESTDIR)$(LUADIR)/netns 2>/dev/null

clean:
	rm -rf build

help:
	@echo "make            build build/netns"
	@echo "make demo       install packages, build, show it on namespaces"
	@echo "make check      install packages, build, run the tests (root)"
	@echo "make check-asan the tests against the sanitizer build"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"
	@echo "make uninstall  remove what install put there"
	@echo "make clean      remove build/"
