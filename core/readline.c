// SPDX-License-Identifier: MIT
/*
 * netns.core.readline: line editing for the REPL. GNU readline is opened
 * with dlopen when the REPL first asks for it, so that the commands do
 * not pay for loading it (and its terminal library) at every start; when
 * it cannot be opened, available() says so and the REPL reads plain lines.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

#define COMPLETER_KEY "netns.core.readline.completer"

typedef char *(*rl_generator)(const char *, int);
typedef char **(*rl_completer)(const char *, int, int);

static struct {
	void *handle;
	char *(*readline)(const char *);
	void (*add_history)(const char *);
	int (*read_history)(const char *);
	int (*write_history)(const char *);
	int (*history_truncate_file)(const char *, int);
	char **(*completion_matches)(const char *, rl_generator);
	rl_completer *attempted_completion;
	const char **readline_name;
	int *attempted_over;
	int *append_character;
	const char **line_buffer;
} rl;

static lua_State *completing;
static char **candidates;
static int ncandidates;

static int load_readline(void)
{
	void *h;

	if (rl.handle)
		return 1;
	h = dlopen("libreadline.so.8", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return 0;
	*(void **)&rl.readline = dlsym(h, "readline");
	*(void **)&rl.add_history = dlsym(h, "add_history");
	*(void **)&rl.read_history = dlsym(h, "read_history");
	*(void **)&rl.write_history = dlsym(h, "write_history");
	*(void **)&rl.history_truncate_file = dlsym(h, "history_truncate_file");
	*(void **)&rl.completion_matches = dlsym(h, "rl_completion_matches");
	rl.attempted_completion = dlsym(h, "rl_attempted_completion_function");
	rl.readline_name = dlsym(h, "rl_readline_name");
	rl.attempted_over = dlsym(h, "rl_attempted_completion_over");
	rl.line_buffer = dlsym(h, "rl_line_buffer");
	rl.append_character = dlsym(h, "rl_completion_append_character");
	if (!rl.readline || !rl.add_history || !rl.completion_matches ||
	    !rl.attempted_completion || !rl.line_buffer) {
		dlclose(h);
		memset(&rl, 0, sizeof(rl));
		return 0;
	}
	rl.handle = h;
	if (rl.readline_name)
		*rl.readline_name = "netns";
	return 1;
}

/* readline frees what the generator returns, so each is a malloc'd copy. */
static char *generate(const char *text, int state)
{
	static int next;

	(void)text;
	if (state == 0)
		next = 0;
	if (next >= ncandidates)
		return NULL;
	return strdup(candidates[next++]);
}

static void free_candidates(void)
{
	int i;

	for (i = 0; i < ncandidates; i++)
		free(candidates[i]);
	free(candidates);
	candidates = NULL;
	ncandidates = 0;
}

/* Ask the Lua completer, in protected mode: no error may unwind through
 * readline's own frames. */
static void collect(lua_State *L, const char *text, int start, int end)
{
	lua_Integer i, n;

	lua_getfield(L, LUA_REGISTRYINDEX, COMPLETER_KEY);
	lua_pushstring(L, text);
	lua_pushstring(L, *rl.line_buffer);
	lua_pushinteger(L, start + 1);
	lua_pushinteger(L, end);
	if (lua_pcall(L, 4, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
		lua_pop(L, 1);
		return;
	}
	/* A field of a table is followed by "(" or "." more often than " ". */
	if (nc_rawfield(L, -1, "nospace") == LUA_TBOOLEAN &&
	    lua_toboolean(L, -1) && rl.append_character)
		*rl.append_character = '\0';
	lua_pop(L, 1);
	n = (lua_Integer)lua_rawlen(L, -1);
	candidates = calloc((size_t)n + 1, sizeof(*candidates));
	for (i = 1; candidates && i <= n; i++) {
		lua_rawgeti(L, -1, i);
		if (lua_type(L, -1) == LUA_TSTRING)
			candidates[ncandidates++] = strdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static char **complete(const char *text, int start, int end)
{
	char **matches;

	if (rl.attempted_over)
		*rl.attempted_over = 1;
	free_candidates();
	collect(completing, text, start, end);
	matches = rl.completion_matches(text, generate);
	free_candidates();
	return matches;
}

/* readline.available() -> boolean: whether GNU readline could be loaded. */
static int readline_available(lua_State *L)
{
	lua_pushboolean(L, load_readline());
	return 1;
}

/*
 * readline.readline(prompt) -> line | nil at end of input
 * With completion from the function given to set_completer. See
 * readline(3).
 */
static int readline_readline(lua_State *L)
{
	const char *prompt = luaL_optstring(L, 1, "");
	char *line;

	if (!load_readline())
		return luaL_error(L, "readline is not available");
	lua_getfield(L, LUA_REGISTRYINDEX, COMPLETER_KEY);
	*rl.attempted_completion = lua_isnil(L, -1) ? NULL : complete;
	lua_pop(L, 1);
	completing = L;
	line = rl.readline(prompt);
	completing = NULL;
	if (!line) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushstring(L, line);
	free(line);
	return 1;
}

/*
 * readline.set_completer(fn): fn(word, line, first, last) returns the
 * list of candidates for word, which spans line:sub(first, last); with
 * nospace = true in the list, no space follows a unique completion.
 */
static int readline_set_completer(lua_State *L)
{
	if (!lua_isnil(L, 1))
		luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_settop(L, 1);
	lua_setfield(L, LUA_REGISTRYINDEX, COMPLETER_KEY);
	return 0;
}

/* readline.add_history(line) */
static int readline_add_history(lua_State *L)
{
	const char *line = luaL_checkstring(L, 1);

	if (load_readline())
		rl.add_history(line);
	return 0;
}

/*
 * readline.read_history(path) -> true | nil, message, errno
 * readline.write_history(path [, keep]) -> true | nil, message, errno
 * keep: how many lines the file keeps at most. See history(3).
 */
static int readline_read_history(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	int err;

	if (!load_readline() || !rl.read_history)
		return luaL_error(L, "readline is not available");
	err = rl.read_history(path);
	if (err)
		return nc_fail(L, err);
	lua_pushboolean(L, 1);
	return 1;
}

static int readline_write_history(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	int keep = (int)luaL_optinteger(L, 2, 1000);
	int err;

	if (!load_readline() || !rl.write_history)
		return luaL_error(L, "readline is not available");
	err = rl.write_history(path);
	if (!err && rl.history_truncate_file)
		err = rl.history_truncate_file(path, keep);
	if (err)
		return nc_fail(L, err);
	lua_pushboolean(L, 1);
	return 1;
}

/* readline.isatty(fd) -> boolean. See isatty(3). */
static int readline_isatty(lua_State *L)
{
	lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
	return 1;
}

static const luaL_Reg readline_funcs[] = {
	{ "add_history", readline_add_history },
	{ "available", readline_available },
	{ "isatty", readline_isatty },
	{ "read_history", readline_read_history },
	{ "readline", readline_readline },
	{ "set_completer", readline_set_completer },
	{ "write_history", readline_write_history },
	{ NULL, NULL }
};

int luaopen_netns_core_readline(lua_State *L)
{
	nc_newlib(L, readline_funcs, NULL);
	return 1;
}
