/* SPDX-License-Identifier: MIT */
#ifndef NETNS_CORE_H
#define NETNS_CORE_H

#include <lua.h>
#include <lauxlib.h>

#ifndef NETNS_RUN_DIR
#define NETNS_RUN_DIR "/run/netns"
#endif
#ifndef NETNS_ETC_DIR
#define NETNS_ETC_DIR "/etc/netns"
#endif
#ifndef NETNS_VERSION
#define NETNS_VERSION "0.1.0"
#endif

#define NC_FD_TYPE "netns.fd"

struct nc_const {
	const char *name;
	lua_Integer value;
};

int nc_fail(lua_State *L, int err);
int nc_ok(lua_State *L, int ret);
int nc_pushfd(lua_State *L, int fd);
int nc_checkfd(lua_State *L, int idx);
void nc_fdtype(lua_State *L);
int nc_checkflags(lua_State *L, int idx, const char *const names[],
		  const int values[]);
void nc_checkkeys(lua_State *L, int idx, const char *const keys[]);
int nc_rawfield(lua_State *L, int idx, const char *key);
/* Pushes what an entry of a directory adds to a list: 1 value, or 0. */
typedef int (*nc_entry_fn)(lua_State *L, int dirfd, const char *name,
			   void *ud);
int nc_push_entries(lua_State *L, const char *path, nc_entry_fn fn,
		    void *ud);
void nc_setconsts(lua_State *L, const struct nc_const *c);
void nc_newlib(lua_State *L, const luaL_Reg *funcs,
	       const struct nc_const *consts);

int luaopen_netns_core(lua_State *L);
int luaopen_netns_core_addr(lua_State *L);
int luaopen_netns_core_fs(lua_State *L);
int luaopen_netns_core_inotify(lua_State *L);
int luaopen_netns_core_link(lua_State *L);
int luaopen_netns_core_mount(lua_State *L);
int luaopen_netns_core_ns(lua_State *L);
int luaopen_netns_core_proc(lua_State *L);
int luaopen_netns_core_readline(lua_State *L);
int luaopen_netns_core_route(lua_State *L);
int luaopen_netns_core_rtnl(lua_State *L);

#endif
