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

/*
 * Reads every command of the text through batch.commands and split, and
 * again with runs of "netns delete WORD" lines read by plain_lines, which
 * must give the same commands on the same line numbers.
 */
static const char driver[] =
	"local batch = dofile('lua/netns/batch.lua')\n"
	"local function handle(text)\n"
	"  local pos = 1\n"
	"  return { read = function()\n"
	"    if pos > #text then return nil end\n"
	"    local nl = text:find('\\n', pos, true) or #text\n"
	"    local line = text:sub(pos, nl)\n"
	"    pos = nl + 1\n"
	"    return line\n"
	"  end }\n"
	"end\n"
	"local function add(list, words, n)\n"
	"  list[#list + 1] = words and table.concat(words, '\\0') .. '@' .. n\n"
	"    or 'error'\n"
	"end\n"
	"local function not_x(word) return word ~= 'x' end\n"
	"return function(text)\n"
	"  batch.split(text)\n"
	"  local slow, fast = {}, {}\n"
	"  for words, n in batch.commands(handle(text)) do\n"
	"    add(slow, words, n)\n"
	"    if not words then break end\n"
	"    assert(type(n) == 'number' and #words > 0)\n"
	"  end\n"
	"  local r = batch.reader(handle(text))\n"
	"  while true do\n"
	"    local names, linenos = {}, {}\n"
	"    r.plain_lines('netns delete ', not_x, names, linenos, 3)\n"
	"    for i = 1, #names do\n"
	"      add(fast, { 'netns', 'delete', names[i] }, linenos[i])\n"
	"    end\n"
	"    local words, n = r.command()\n"
	"    if words == nil then break end\n"
	"    add(fast, words, n)\n"
	"    if not words then break end\n"
	"  end\n"
	"  assert(#slow == #fast, 'plain_lines: another number of commands')\n"
	"  for i = 1, #slow do\n"
	"    assert(slow[i] == fast[i], 'plain_lines: ' .. fast[i])\n"
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
