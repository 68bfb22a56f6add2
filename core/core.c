// SPDX-License-Identifier: MIT
/*
 * netns.core for the stock lua5.4: one shared object holding every C
 * module, which require "netns.core" puts into package.preload. The netns
 * binary preloads them itself and has no need of this.
 */
#include "core.h"

static const luaL_Reg modules[] = {
	{ "netns.core.addr", luaopen_netns_core_addr },
	{ "netns.core.fs", luaopen_netns_core_fs },
	{ "netns.core.inotify", luaopen_netns_core_inotify },
	{ "netns.core.link", luaopen_netns_core_link },
	{ "netns.core.mount", luaopen_netns_core_mount },
	{ "netns.core.ns", luaopen_netns_core_ns },
	{ "netns.core.proc", luaopen_netns_core_proc },
	{ "netns.core.readline", luaopen_netns_core_readline },
	{ "netns.core.route", luaopen_netns_core_route },
	{ "netns.core.rtnl", luaopen_netns_core_rtnl },
	{ NULL, NULL }
};

/* require "netns.core" -> true, with the modules preloaded. */
int luaopen_netns_core(lua_State *L)
{
	const luaL_Reg *m;

	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
	for (m = modules; m->name; m++) {
		lua_pushcfunction(L, m->func);
		lua_setfield(L, -2, m->name);
	}
	lua_pushboolean(L, 1);
	return 1;
}
