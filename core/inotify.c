// SPDX-License-Identifier: MIT
/* netns.core.inotify: watching the run directory for names. */
#include <errno.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "core.h"

/* inotify.init() -> fd | nil, message, errno. See inotify_init1(2). */
static int inotify_init_(lua_State *L)
{
	int fd = inotify_init1(IN_CLOEXEC);

	if (fd < 0)
		return nc_fail(L, errno);
	return nc_pushfd(L, fd);
}

/*
 * inotify.add_watch(fd, path, events) -> wd | nil, message, errno
 * events is a list of "create", "delete", "moved_from", "moved_to".
 * See inotify_add_watch(2).
 */
static int inotify_add_watch_(lua_State *L)
{
	static const char *const names[] = {
		"create", "delete", "moved_from", "moved_to", NULL
	};
	static const int values[] = {
		IN_CREATE, IN_DELETE, IN_MOVED_FROM, IN_MOVED_TO
	};
	int fd = nc_checkfd(L, 1);
	const char *path = luaL_checkstring(L, 2);
	int mask = nc_checkflags(L, 3, names, values);
	int wd = inotify_add_watch(fd, path, (uint32_t)mask);

	if (wd < 0)
		return nc_fail(L, errno);
	lua_pushinteger(L, wd);
	return 1;
}

static const char *event_name(uint32_t mask)
{
	if (mask & IN_CREATE)
		return "create";
	if (mask & IN_DELETE)
		return "delete";
	if (mask & IN_MOVED_FROM)
		return "moved_from";
	if (mask & IN_MOVED_TO)
		return "moved_to";
	return "other";
}

static void push_event(lua_State *L, const struct inotify_event *ev)
{
	lua_createtable(L, 0, 2);
	lua_pushstring(L, event_name(ev->mask));
	lua_setfield(L, -2, "event");
	lua_pushstring(L, ev->len ? ev->name : "");
	lua_setfield(L, -2, "name");
}

/*
 * inotify.read(fd) -> {{event = "create", name = "blue"}, ...}
 *                  | nil, message, errno
 * Blocks until at least one event. See inotify(7).
 */
static int inotify_read_(lua_State *L)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	int fd = nc_checkfd(L, 1);
	lua_Integer n = 0;
	ssize_t len;
	char *p;

	do
		len = read(fd, buf, sizeof(buf));
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return nc_fail(L, errno);
	lua_newtable(L);
	for (p = buf; p < buf + len;) {
		const struct inotify_event *ev = (const void *)p;

		push_event(L, ev);
		lua_rawseti(L, -2, ++n);
		p += sizeof(*ev) + ev->len;
	}
	return 1;
}

static const luaL_Reg inotify_funcs[] = {
	{ "add_watch", inotify_add_watch_ },
	{ "init", inotify_init_ },
	{ "read", inotify_read_ },
	{ NULL, NULL }
};

int luaopen_netns_core_inotify(lua_State *L)
{
	nc_fdtype(L);
	nc_newlib(L, inotify_funcs, NULL);
	return 1;
}
