// SPDX-License-Identifier: MIT
/*
 * Helpers shared by the C modules: the failure triple, the file descriptor
 * handle and constant tables.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

/* Push nil, strerror(err), err: the shape of every system failure. */
int nc_fail(lua_State *L, int err)
{
	luaL_pushfail(L);
	lua_pushstring(L, strerror(err));
	lua_pushinteger(L, err);
	return 3;
}

/* For calls returning -1 on failure; errno must still be the call's. */
int nc_ok(lua_State *L, int ret)
{
	if (ret < 0)
		return nc_fail(L, errno);
	lua_pushboolean(L, 1);
	return 1;
}

static int *fd_slot(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, NC_FD_TYPE);
}

/*
 * A descriptor reaches Lua as a handle that closes itself when collected,
 * so an error in a script never leaks it; every descriptor is opened with
 * close-on-exec, so none reaches an exec'd command either.
 */
int nc_pushfd(lua_State *L, int fd)
{
	int *slot = lua_newuserdatauv(L, sizeof(*slot), 0);

	*slot = fd;
	luaL_setmetatable(L, NC_FD_TYPE);
	return 1;
}

/* Accept a handle (raising if it is closed) or a plain integer. */
int nc_checkfd(lua_State *L, int idx)
{
	int *slot;

	if (lua_isinteger(L, idx)) {
		lua_Integer fd = lua_tointeger(L, idx);

		luaL_argcheck(L, fd >= 0 && fd <= 0x7fffffff, idx,
			      "invalid file descriptor");
		return (int)fd;
	}
	slot = fd_slot(L, idx);
	luaL_argcheck(L, *slot >= 0, idx, "attempt to use a closed descriptor");
	return *slot;
}

/* Check a list of names, such as {"bind", "rec"}, into OR'd flag bits. */
int nc_checkflags(lua_State *L, int idx, const char *const names[],
		  const int values[])
{
	int flags = 0;
	lua_Integer i, n;

	if (lua_isnoneornil(L, idx))
		return 0;
	if (lua_isinteger(L, idx))
		return (int)lua_tointeger(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	n = (lua_Integer)lua_rawlen(L, idx);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, i);
		flags |= values[luaL_checkoption(L, -1, NULL, names)];
		lua_pop(L, 1);
	}
	return flags;
}

/*
 * Raise on a key of the table at idx that keys does not list, so that a
 * misspelt option is not silently ignored.
 */
void nc_checkkeys(lua_State *L, int idx, const char *const keys[])
{
	const char *const *k;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_argerror(L, idx, "option names must be strings");
		for (k = keys; *k; k++)
			if (!strcmp(*k, lua_tostring(L, -1)))
				break;
		if (!*k)
			luaL_argerror(L, idx, lua_pushfstring(L,
				"unknown option '%s'", lua_tostring(L, -1)));
	}
}

/*
 * Push field key of the table at idx and return its type, without
 * metamethods: an option table's values then stay alive in the table
 * while C holds pointers to them, and no Lua code runs halfway through a
 * request.
 */
int nc_rawfield(lua_State *L, int idx, const char *key)
{
	idx = lua_absindex(L, idx);
	lua_pushstring(L, key);
	return lua_rawget(L, idx);
}

/*
 * A list of what fn pushes for each entry of the directory at path but
 * "." and "..", in the order the file system gives them: 1 (the list),
 * or nc_fail's results when the directory cannot be read.
 */
int nc_push_entries(lua_State *L, const char *path, nc_entry_fn fn,
		    void *ud)
{
	struct dirent *de;
	lua_Integer n = 0;
	DIR *dir;
	int err;

	lua_newtable(L);
	dir = opendir(path);
	if (!dir)
		return nc_fail(L, errno);
	while ((errno = 0, de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fn(L, dirfd(dir), de->d_name, ud))
			lua_rawseti(L, -2, ++n);
	}
	err = errno;
	closedir(dir);
	if (err)
		return nc_fail(L, err);
	return 1;
}

void nc_setconsts(lua_State *L, const struct nc_const *c)
{
	for (; c && c->name; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
}

void nc_newlib(lua_State *L, const luaL_Reg *funcs,
	       const struct nc_const *consts)
{
	lua_newtable(L);
	luaL_setfuncs(L, funcs, 0);
	nc_setconsts(L, consts);
}

/*
 * fd:close() -> true | nil, message, errno
 * Closing twice is allowed and does nothing, as with Lua's files.
 */
static int fd_close(lua_State *L)
{
	int *slot = fd_slot(L, 1);
	int fd = *slot;

	*slot = -1;
	if (fd < 0) {
		lua_pushboolean(L, 1);
		return 1;
	}
	return nc_ok(L, close(fd));
}

/* fd:fileno() -> integer, or raises when closed. */
static int fd_fileno(lua_State *L)
{
	lua_pushinteger(L, nc_checkfd(L, 1));
	return 1;
}

static int fd_gc(lua_State *L)
{
	int *slot = fd_slot(L, 1);

	if (*slot >= 0)
		close(*slot);
	*slot = -1;
	return 0;
}

static int fd_tostring(lua_State *L)
{
	int *slot = fd_slot(L, 1);

	if (*slot < 0)
		lua_pushliteral(L, "netns.fd (closed)");
	else
		lua_pushfstring(L, "netns.fd (%d)", *slot);
	return 1;
}

static const luaL_Reg fd_methods[] = {
	{ "close", fd_close },
	{ "fileno", fd_fileno },
	{ NULL, NULL }
};

static const luaL_Reg fd_meta[] = {
	{ "__close", fd_gc },
	{ "__gc", fd_gc },
	{ "__tostring", fd_tostring },
	{ NULL, NULL }
};

/* Called by every opener; creating the metatable once is enough. */
void nc_fdtype(lua_State *L)
{
	if (luaL_newmetatable(L, NC_FD_TYPE)) {
		luaL_setfuncs(L, fd_meta, 0);
		luaL_newlib(L, fd_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
}
