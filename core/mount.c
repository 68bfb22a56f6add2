// SPDX-License-Identifier: MIT
/*
 * netns.core.mount: mount(2), umount2(2) and the read-only test the /sys
 * remount needs.
 */
#include <errno.h>
#include <sys/mount.h>

#include "core.h"

static const char *const mount_names[] = {
	"bind", "private", "rdonly", "rec", "shared", "slave", NULL
};
static const int mount_values[] = {
	MS_BIND, MS_PRIVATE, MS_RDONLY, MS_REC, MS_SHARED, MS_SLAVE
};

static const char *optstr(lua_State *L, int idx)
{
	return luaL_optstring(L, idx, NULL);
}

/*
 * mount.mount(source, target, fstype, flags [, data])
 *   -> true | nil, message, errno
 * source and fstype may be nil; flags is a list of "bind", "private",
 * "rdonly", "rec", "shared", "slave". See mount(2).
 */
static int mount_mount(lua_State *L)
{
	const char *source = optstr(L, 1);
	const char *target = luaL_checkstring(L, 2);
	const char *fstype = optstr(L, 3);
	int flags = nc_checkflags(L, 4, mount_names, mount_values);
	const char *data = optstr(L, 5);

	return nc_ok(L, mount(source ? source : "", target,
			      fstype ? fstype : "none", flags, data));
}

/*
 * mount.umount(target [, flags]) -> true | nil, message, errno
 * flags: a list of "detach" and "nofollow" (or one of them as a string).
 * See umount2(2).
 */
static int mount_umount(lua_State *L)
{
	static const char *const names[] = { "detach", "nofollow", NULL };
	static const int values[] = { MNT_DETACH, UMOUNT_NOFOLLOW };
	const char *target = luaL_checkstring(L, 1);
	int flags;

	if (lua_type(L, 2) == LUA_TSTRING)
		flags = values[luaL_checkoption(L, 2, NULL, names)];
	else
		flags = nc_checkflags(L, 2, names, values);
	return nc_ok(L, umount2(target, flags));
}

static const luaL_Reg mount_funcs[] = {
	{ "mount", mount_mount },
	{ "umount", mount_umount },
	{ NULL, NULL }
};

int luaopen_netns_core_mount(lua_State *L)
{
	nc_newlib(L, mount_funcs, NULL);
	return 1;
}
