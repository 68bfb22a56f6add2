-- The interactive prompt: Lua with the netns library loaded as `netns`,
-- line editing and history through readline when it is there, multi-line
-- input and printed results as in the stock lua, and lines that start
-- with a command name (`add blue`, `exec blue ip link`) run as commands.

local batch = require "netns.batch"
local ops = require "netns._ops"
require "netns.core"
local proc = require "netns.core.proc"
local rl = require "netns.core.readline"

local M = {}

local PROMPT, MORE = "netns> ", ">> "

local COMMAND_NAMES = {
  "add", "attach", "delete", "exec", "help", "identify", "list", "list-id",
  "lst", "monitor", "pids", "set", "show",
}
local IS_COMMAND = {}
for _, c in ipairs(COMMAND_NAMES) do
  IS_COMMAND[c] = true
end

local KEYWORDS = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while",
}

-- A line is a command when it starts with a full command name that Lua
-- does not know as a global, and it is not a Lua statement: `add blue`
-- and `list` are commands, `add = 3` and `list()` are Lua. A quote after
-- the name makes a command all the same: `delete "sp ace"` would be Lua's
-- call of a global that does not exist, so it can only mean the command.
-- The word netns may come first, as in a batch file (`netns add blue` is
-- no Lua). Returns the command's text, or nil for Lua.
local function command_text(line)
  local body = line:match("^%s*netns%s+(.*)$")
  if body and IS_COMMAND[body:match("^[%w-]+") or ""] and
    not load(line, "=stdin") then
    line = body
  end
  local first = line:match("^%s*([%w-]+)")
  if first and IS_COMMAND[first] and _G[first] == nil then
    return line
  end
end

-- The words of a command line, or nil for Lua.
local function command_words(line)
  local text = command_text(line)
  if not text then
    return nil
  end
  local quote = text:match("^%s*[%w-]+%s*([\"']?)")
  if quote == "" and load(line, "=stdin") then
    return nil
  end
  return batch.split(text)
end
M.command_words = command_words

local function starting(list, prefix, out, before)
  for _, s in ipairs(list) do
    if s:sub(1, #prefix) == prefix then
      out[#out + 1] = (before or "") .. s
    end
  end
  return out
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" and k:find("^[%a_][%w_]*$") then
      keys[#keys + 1] = k
    end
  end
  table.sort(keys)
  return keys
end

-- What v:name can call: v's own functions (when v is a table) and those
-- of its metatable's __index table, as a set.
local function methods(v)
  local out = {}
  local mt = getmetatable(v)
  for _, t in ipairs({ type(v) == "table" and v or {},
    type(mt) == "table" and type(rawget(mt, "__index")) == "table"
      and rawget(mt, "__index") or {} }) do
    for k, f in next, t do
      if type(k) == "string" and type(f) == "function"
        and not k:find("^__") then
        out[k] = true
      end
    end
  end
  return out
end

-- "netns.li" completes the fields of the table the path names.
local function complete_field(word)
  local path, sep, prefix = word:match("^([%a_][%w_.]*)([.:])([%w_]*)$")
  if not path then
    return {}
  end
  local t = _G
  for part in path:gmatch("[^.]+") do
    t = type(t) == "table" and rawget(t, part) or nil
  end
  if sep == ":" then
    t = methods(t)
  end
  if type(t) ~= "table" then
    return { nospace = true }
  end
  return starting(sorted_keys(t), prefix, { nospace = true }, path .. sep)
end

local function names()
  local list = ops.names() or {}
  table.sort(list)
  return list
end

-- The names that start with word, as they can be written where it is.
-- Inside an open quote as they are, readline closing it, but for those
-- holding that quote, which cannot be written there. Outside, one with a
-- blank or a quote in it between the quotes a batch line reads (a name
-- with both kinds of quote is offered as it is).
local function name_words(word, open)
  local out = {}
  for _, name in ipairs(starting(names(), word, {})) do
    if open then
      if not name:find(open, 1, true) then
        out[#out + 1] = name
      end
    elseif not name:find("[ \t\r\n\"']") then
      out[#out + 1] = name
    elseif not name:find('"', 1, true) then
      out[#out + 1] = '"' .. name .. '"'
    elseif not name:find("'", 1, true) then
      out[#out + 1] = "'" .. name .. "'"
    else
      out[#out + 1] = name
    end
  end
  return out
end

-- The quote of a Lua string left open at the end of text, if any: a
-- quote inside a word, as in f("bl, opens no word of a batch line.
local function lua_open_quote(text)
  local quote, i = nil, 1
  while i <= #text do
    local c = text:sub(i, i)
    if quote then
      if c == "\\" then
        i = i + 1
      elseif c == quote then
        quote = nil
      end
    elseif c == '"' or c == "'" then
      quote = c
    elseif text:find("^%-%-", i) and not text:find("^%-%-%[=*%[", i) then
      return nil
    elseif text:find("^%[=*%[", i) then
      -- a long string or, after --, a long comment
      local eq = text:match("^%[(=*)%[", i)
      local close = text:find("]" .. eq .. "]", i, true)
      if not close then
        return nil
      end
      i = close + #eq + 1
    end
    i = i + 1
  end
  return quote
end

-- Candidates for word, which stands at line:sub(first, last).
function M.complete(word, line, first)
  local before = line:sub(1, first - 1)
  if word:find("[.:]") then
    return complete_field(word)
  end
  local text, open = command_text(before)
  if text then
    open = select(3, batch.split(text))
  else
    open = lua_open_quote(before)
  end
  if open then
    return name_words(word, open)
  end
  if before:find("^%s*netns%s+$") then
    return starting(COMMAND_NAMES, word, {})
  end
  if before:find("^%s*$") then
    local out = starting(COMMAND_NAMES, word, {})
    starting(KEYWORDS, word, out)
    return starting(sorted_keys(_G), word, out)
  end
  if command_words(before .. "x") then
    return name_words(word)
  end
  local out = starting(KEYWORDS, word, {})
  return starting(sorted_keys(_G), word, out)
end

-- Not through a symbolic link: the prompt runs as root, and readline
-- would rewrite and truncate whatever the link points at.
local function history_file()
  local home = os.getenv("HOME")
  local file = os.getenv("NETNS_HISTORY")
    or (home and home .. "/.netns_history")
  local st = file and require("netns.core.fs").lstat(file)
  if st and st.type ~= "file" then
    return nil
  end
  return file
end

local function reader()
  local tty = rl.isatty(0)
  if tty and rl.available() then
    rl.set_completer(M.complete)
    local file = history_file()
    if file then
      rl.read_history(file)
    end
    local function save()
      if file then
        rl.write_history(file, 1000)
      end
    end
    -- saved at every entry: os.exit() in the prompt ends netns at once
    return rl.readline, save, function(text)
      rl.add_history(text)
      save()
    end
  end
  return function(prompt)
    if tty then
      io.stdout:write(prompt)
      io.stdout:flush()
    end
    return io.read("l")
  end, function() end, function() end
end

local function show(...)
  if select("#", ...) > 0 then
    print(...)
  end
end

local function traceback(e)
  if type(e) ~= "string" then
    e = ("(error object is a %s value)"):format(type(e))
  end
  local tb = debug.traceback(e, 2)
  local cut = tb:find("\n\t%[C%]: in function '[%w.]*interruptible'")
  return cut and tb:sub(1, cut - 1) or tb
end

-- Where netns's own Lua code comes from when it is loaded from a source
-- tree: Ctrl-C waits until that code has returned to the chunk's.
local OWN_SOURCE = os.getenv("NETNS_LUA_DIR")
OWN_SOURCE = OWN_SOURCE and "@" .. OWN_SOURCE .. "/netns"

-- Compile a chunk as an expression first, so `1 + 1` prints 2; nil and
-- "more" when the text so far is an unfinished statement.
local function compile(text)
  -- "=" for "return", as the stock lua takes it
  if text:sub(1, 1) == "=" then
    text = "return " .. text:sub(2)
  end
  local fn = load("return " .. text, "=stdin")
  if fn then
    return fn
  end
  local msg
  fn, msg = load(text, "=stdin")
  if fn then
    return fn
  end
  if msg:sub(-5) == "<eof>" then
    return nil, "more"
  end
  return nil, msg
end

-- Ctrl-C stops the chunk with an error, as in the stock lua, rather than
-- netns.
local function run_chunk(fn)
  local res = table.pack(proc.interruptible(OWN_SOURCE, fn, traceback))
  if res[1] then
    show(table.unpack(res, 2, res.n))
  else
    io.stderr:write(res[2], "\n")
  end
end

local function run_command(cli, words)
  local ok, res = pcall(cli.run_command, words)
  if not ok then
    io.stderr:write(tostring(res), "\n")
  elseif res ~= 0 then
    io.stderr:write("(status ", res, ")\n")
  end
end

-- Read, evaluate, print, until end of input. Returns the exit status.
function M.run(cli)
  collectgarbage("restart")
  _G.netns = require "netns"
  local read, close, remember = reader()
  while true do
    local line = read(PROMPT)
    if not line then
      break
    end
    local words, werr = command_words(line)
    if words or werr then
      remember(line)
    end
    if words then
      run_command(cli, words)
    elseif werr and command_text(line) then
      io.stderr:write(werr, "\n")
    else
      local text = line
      local fn, msg = compile(text)
      while msg == "more" do
        local more = read(MORE)
        if not more then
          break
        end
        text = text .. "\n" .. more
        fn, msg = compile(text)
      end
      -- a statement over several lines is one entry of the history
      if text:find("%S") then
        remember(text)
      end
      if fn then
        run_chunk(fn)
      elseif msg ~= "more" then
        io.stderr:write(msg, "\n")
      end
    end
    io.stdout:flush()
  end
  close()
  if rl.isatty(0) then
    io.stdout:write("\n")
  end
  return 0
end

return M
