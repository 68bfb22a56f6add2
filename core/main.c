// SPDX-License-Identifier: MIT
/*
 * The netns interpreter: a Lua 5.4 state with the C modules preloaded and
 * the Lua sources compiled in, handed argv by netns.cli.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "core.h"
#include "embed.h"

static const struct nc_embed *find_embedded(const char *name)
{
	const struct nc_embed *e;

	for (e = nc_embedded; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/* A package searcher for the sources compiled into the binary. */
static int search_embedded(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const struct nc_embed *e = find_embedded(name);
	char chunk[128];

	if (!e) {
		lua_pushfstring(L, "no embedded module '%s'", name);
		return 1;
	}
	snprintf(chunk, sizeof(chunk), "@%s", e->path);
	if (luaL_loadbufferx(L, e->data, e->len, chunk, "b") != LUA_OK)
		return lua_error(L);
	lua_pushstring(L, e->path);
	return 2;
}

/* Our searcher goes second, after preload and before the Lua files. */
static void insert_searcher(lua_State *L)
{
	lua_Integer i;

	lua_getfield(L, -1, "searchers");
	for (i = (lua_Integer)lua_rawlen(L, -1); i >= 2; i--) {
		lua_rawgeti(L, -1, i);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushcfunction(L, search_embedded);
	lua_rawseti(L, -2, 2);
	lua_pop(L, 1);
}

/*
 * The searchers of C libraries go, preload and Lua files stay: a failed
 * require would otherwise list an empty cpath among the places tried.
 */
static void drop_c_searchers(lua_State *L)
{
	lua_getfield(L, -1, "searchers");
	while (lua_rawlen(L, -1) > 2) {
		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2));
	}
	lua_pop(L, 1);
}

/*
 * Only our own code is loaded: the tool runs as root, so LUA_PATH,
 * LUA_CPATH and LUA_INIT are not read, and no C module is loaded but the
 * core compiled in. NETNS_LUA_DIR, for development, loads the Lua files
 * from a source tree instead of the compiled-in ones.
 */
static void setup_package(lua_State *L)
{
	const char *dev = getenv("NETNS_LUA_DIR");

	lua_getglobal(L, "package");
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "cpath");
	drop_c_searchers(L);
	if (dev)
		lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dev, dev);
	else
		lua_pushliteral(L, NETNS_LUA_DIR "/?.lua;"
				NETNS_LUA_DIR "/?/init.lua");
	lua_setfield(L, -2, "path");
	/* The same preloading as require "netns.core" in the stock lua5.4. */
	luaL_requiref(L, "netns.core", luaopen_netns_core, 0);
	lua_pop(L, 1);
	if (!dev)
		insert_searcher(L);
	lua_pop(L, 1);
}

static int traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)",
				      luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* require "netns.cli" and return cli.main(argv). */
static int run(lua_State *L)
{
	char **argv = lua_touserdata(L, 1);
	int argc = (int)lua_tointeger(L, 2);
	int i;

	setup_package(L);
	lua_getglobal(L, "require");
	lua_pushliteral(L, "netns.cli");
	lua_call(L, 1, 1);
	lua_getfield(L, -1, "main");
	lua_createtable(L, argc, 1);
	for (i = 0; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_seti(L, -2, i);
	}
	lua_call(L, 1, 1);
	return 1;
}

/*
 * Starting up, Lua makes about a thousand small blocks (the standard
 * libraries, the bytecode of netns.cli) and frees almost none, the
 * collector being stopped; from an empty heap each malloc costs some 200
 * instructions, a fifth of all a start makes. So blocks come first from
 * this arena, one after the other. A block freed or grown in the arena
 * is given back only when it is the last one, so at most ARENA_SIZE is
 * ever held without use; past it, malloc serves. Sanitizers and valgrind
 * see nothing of what happens inside an arena, so under them there is
 * none: they check the same Lua code with malloc's blocks.
 */
#define ARENA_SIZE (256 * 1024)
#define ARENA_ALIGN 16

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ARENA 0
#else
#define HAVE_ARENA 1
#endif

static char arena[HAVE_ARENA ? ARENA_SIZE : 1]
	__attribute__((aligned(ARENA_ALIGN)));
static size_t arena_used;
static size_t arena_size;	/* 0 while unused */

static size_t aligned(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static int in_arena(const void *p)
{
	return (uintptr_t)p - (uintptr_t)arena < arena_size;
}

static int is_last(const char *p, size_t size)
{
	return p + aligned(size) == arena + arena_used;
}

static void *arena_take(size_t size)
{
	void *p;

	if (aligned(size) > arena_size - arena_used)
		return malloc(size);
	p = arena + arena_used;
	arena_used += aligned(size);
	return p;
}

static void *arena_realloc(char *p, size_t osize, size_t nsize)
{
	void *q;

	if (nsize <= osize) {
		if (is_last(p, osize))
			arena_used = (size_t)(p - arena) + aligned(nsize);
		return nsize ? p : NULL;
	}
	if (is_last(p, osize) &&
	    aligned(nsize) <= arena_size - (size_t)(p - arena)) {
		arena_used = (size_t)(p - arena) + aligned(nsize);
		return p;
	}
	q = arena_take(nsize);
	if (q) {
		memcpy(q, p, osize);
		if (is_last(p, osize))
			arena_used = (size_t)(p - arena);
	}
	return q;
}

/* A lua_Alloc: osize is a block's size only when ptr is one. */
static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud;
	if (in_arena(ptr))
		return arena_realloc(ptr, osize, nsize);
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	if (!ptr)
		return arena_take(nsize);
	return realloc(ptr, nsize);
}

static void use_arena(lua_State *L)
{
	if (HAVE_ARENA && !RUNNING_ON_VALGRIND) {
		arena_size = ARENA_SIZE;
		lua_setallocf(L, alloc, NULL);
	}
}

/* Global, so that a checker sees the state as reachable at exit. */
static lua_State *state;

int main(int argc, char **argv)
{
	int status;
	int code;

	state = luaL_newstate();
	if (!state) {
		fputs("netns: cannot create Lua state: not enough memory\n",
		      stderr);
		return 1;
	}
	use_arena(state);
	/* Loading makes no garbage worth collecting; cli.main restarts it. */
	lua_gc(state, LUA_GCSTOP);
	lua_pushboolean(state, 1);
	lua_setfield(state, LUA_REGISTRYINDEX, "LUA_NOENV");
	luaL_openlibs(state);
	lua_pushcfunction(state, traceback);
	lua_pushcfunction(state, run);
	lua_pushlightuserdata(state, argv);
	lua_pushinteger(state, argc);
	status = lua_pcall(state, 2, 1, 1);
	if (status != LUA_OK) {
		fprintf(stderr, "netns: %s\n", lua_tostring(state, -1));
		code = 1;
	} else {
		code = (int)luaL_optinteger(state, -1, 0);
	}
	fflush(stdout);
#if defined(__SANITIZE_ADDRESS__)
	lua_close(state);
#endif
	/*
	 * Otherwise the state is left to the kernel, which frees it faster
	 * than lua_close; descriptors still open are closed at exit as well.
	 */
	return code;
}
