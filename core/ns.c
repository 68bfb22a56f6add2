// SPDX-License-Identifier: MIT
/*
 * netns.core.ns: entering and creating namespaces, and the directories the
 * tool was built for.
 */
#include <errno.h>
#include <sched.h>

#include "core.h"

static const char *const ns_names[] = { "any", "mnt", "net", NULL };
static const int ns_values[] = { 0, CLONE_NEWNS, CLONE_NEWNET };

/*
 * ns.setns(fd [, type]) -> true | nil, message, errno
 * type is "net", "mnt" or "any" (the default: whatever fd refers to).
 * See setns(2).
 */
static int ns_setns(lua_State *L)
{
	int fd = nc_checkfd(L, 1);
	int type = ns_values[luaL_checkoption(L, 2, "any", ns_names)];

	return nc_ok(L, setns(fd, type));
}

/*
 * ns.unshare(types) -> true | nil, message, errno
 * types is a list of "net" and "mnt". See unshare(2).
 */
static int ns_unshare(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return nc_ok(L, unshare(nc_checkflags(L, 1, ns_names, ns_values)));
}

static const luaL_Reg ns_funcs[] = {
	{ "setns", ns_setns },
	{ "unshare", ns_unshare },
	{ NULL, NULL }
};

int luaopen_netns_core_ns(lua_State *L)
{
	nc_fdtype(L);
	nc_newlib(L, ns_funcs, NULL);
	lua_pushliteral(L, NETNS_RUN_DIR);
	lua_setfield(L, -2, "RUN_DIR");
	lua_pushliteral(L, NETNS_ETC_DIR);
	lua_setfield(L, -2, "ETC_DIR");
	lua_pushliteral(L, NETNS_VERSION);
	lua_setfield(L, -2, "VERSION");
	return 1;
}
