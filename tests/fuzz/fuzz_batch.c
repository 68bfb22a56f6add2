// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as a batch file, split into commands
 * by lua/netns/batch.lua (loaded from the tree, run from the top of it).
 * Any Lua error is a bug: the parser returns its complaints.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every command of the text through batch.commands and split. */
static const char driver[] =
	"local batch = dofile('lua/netns/batch.lua')\n"
	"return function(text)\n"
	"  batch.split(text)\n"
	"  local pos = 1\n"
	"  local fh = { read = function()\n"
	"    if pos > #text then return nil end\n"
	"    local nl = text:find('\\n', pos, true) or #text\n"
	"    local line = text:sub(pos, nl)\n"
	"    pos = nl + 1\n"
	"    return line\n"
	"  end }\n"
	"  for words, n in batch.commands(fh) do\n"
	"    if not words then break end\n"
	"    assert(type(n) == 'number' and #words > 0)\n"
	"  end\n"
	"end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lua_State *L;

	if (!L) {
		L = luaL_newstate();
		luaL_openlibs(L);
		if (luaL_dostring(L, driver) != LUA_OK) {
			fprintf(stderr, "%s\n", lua_tostring(L, -1));
			abort();
		}
		lua_setglobal(L, "fuzz_batch");
	}
	lua_getglobal(L, "fuzz_batch");
	lua_pushlstring(L, (const char *)data, size);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		fprintf(stderr, "batch parser raised: %s\n", lua_tostring(L, -1));
		abort();
	}
	return 0;
}
