-- netns -batch FILE: the commands of a batch file run one after the
-- other in this process, as ip -batch runs them, with add and delete
-- lines in a row made together.

local cli = require "netns.cli"
local ops = require "netns._ops"
local fs = require "netns.core.fs"

local M = {}

local die, warn, long_running = cli.die, cli.warn, cli.long_running

local function open_batch(file)
  if file == "-" then
    return io.stdin
  end
  local fh, msg = io.open(file, "r")
  if not fh then
    die(1, ('Cannot open file "%s" for reading: %s')
      :format(file, msg:match(": ([^:]*)$") or msg))
  end
  -- or every command that batch's exec lines start would inherit it
  fs.cloexec(fh)
  return fh
end

-- Whether reading the next line can wait: a pipe or a terminal may be slow
-- to give it, and a batch keeps the run-directory lock between lines only
-- when it cannot (a regular file), or other netns processes would wait.
local function from_regular_file(file)
  local st = fs.stat(file == "-" and "/proc/self/fd/0" or file)
  return st ~= nil and st.type == "file"
end

-- Whether name is one that command, add or delete, takes in a line run
-- together with its neighbours.
local function plain_name(command, name)
  if command == "add" then
    return cli.valid_name(name) and not name:find("%c")
  end
  return command == "delete" and cli.valid_name(name)
end

-- Whether the line is an add or a delete that can run together with its
-- neighbours of the same command: one with just a name, which that
-- command would take. Returns the command.
local function plain_line(ctx, words)
  if ctx.all or #words ~= 2 then
    return nil
  end
  local _, command = cli.command_named(words[1])
  if plain_name(command, words[2]) then
    return command
  end
end

-- Whether a line's first word is ip's object netns: ip takes any prefix
-- of it down to "net" ("ne" is its neigh).
local function is_object_word(w)
  return w == "net" or w == "netn" or w == "netns"
end

-- At most this many lines are read ahead and run at once.
local RUN_LINES = 64

-- The batch's commands, {words, lineno, eof, object word}, with "netns"
-- (or "net", "netn") taken off the front; those read ahead, or given
-- back, come first. One marked alone is run by itself.
local function command_queue(reader)
  -- queue[first .. last]; given back goes in front
  local queue, first, last = {}, 1, 0
  local q = {}
  function q.take()
    if first <= last then
      local cmd = queue[first]
      queue[first], first = nil, first + 1
      return cmd
    end
    local words, lineno, eof = reader.command()
    local object
    if words and is_object_word(words[1]) then
      object = table.remove(words, 1)
    end
    return { words, lineno, eof, object }
  end
  function q.give_back(cmd)
    first = first - 1
    queue[first] = cmd
  end
  -- reader.plain_lines, once nothing read ahead is waiting
  function q.plain_lines(...)
    if first > last then
      reader.plain_lines(...)
    end
  end
  return q
end

-- The names and line numbers of the lines in a row of command fn from
-- first on, as far as RUN_LINES. Those written as first is, one blank
-- apart, are read without being split.
local function line_run(ctx, q, first, fn)
  local names, linenos = { first[1][2] }, { first[2] }
  local prefix = (first[4] and first[4] .. " " or "") .. first[1][1] .. " "
  local function accept(name)
    return plain_name(fn, name)
  end
  while true do
    q.plain_lines(prefix, accept, names, linenos, RUN_LINES)
    if #names >= RUN_LINES then
      break
    end
    local cmd = q.take()
    if cmd.alone or not cmd[1] or plain_line(ctx, cmd[1]) ~= fn then
      q.give_back(cmd)
      break
    end
    names[#names + 1], linenos[#linenos + 1] = cmd[1][2], cmd[2]
  end
  return names, linenos
end

-- Add lines in a row make their namespaces on every CPU at once; delete
-- lines in a row are removed in one call. Those not done go back, as
-- command word and name, the first of them marked to run alone, as every
-- line runs, so that what it prints and whether the batch goes on are as
-- if all had run one by one.
local function run_lines(q, names, linenos, word, fn)
  local done
  if fn == "add" then
    done = ops.add_many(names, warn)
  else
    done = ops.delete_many(names)
  end
  for i = #names, done + 1, -1 do
    q.give_back({ { word, names[i] }, linenos[i], alone = i == done + 1 })
  end
end

function M.run(ctx, file)
  long_running()
  local fh = open_batch(file)
  local status = 0
  -- reading ahead waits for nothing only in a regular file
  local ahead = from_regular_file(file)
  ctx.batch = true
  ops.keep_lock(ahead)
  local q = command_queue(require("netns.batch").reader(fh))
  while true do
    local cmd = q.take()
    local words, lineno, eof = cmd[1], cmd[2], cmd[3]
    if words == nil then
      break
    elseif not words then
      warn(lineno)
      if eof then
        break
      end
      die(1)
    end
    local fn = ahead and not cmd.alone and plain_line(ctx, words)
    local names, linenos
    if fn then
      names, linenos = line_run(ctx, q, cmd, fn)
    end
    if names and #names > 1 then
      run_lines(q, names, linenos, words[1], fn)
    elseif cli.dispatch(ctx, words) ~= 0 then
      warn(("Command failed %s:%d"):format(file, lineno))
      status = 1
      if not ctx.force then
        break
      end
    end
  end
  ops.keep_lock(false)
  if fh ~= io.stdin then
    fh:close()
  end
  return status
end

return M
