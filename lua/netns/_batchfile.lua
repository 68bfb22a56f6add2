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

-- Whether the line is an add or a delete that can run together with its
-- neighbours of the same command: one with just a name, which that
-- command would take. Returns the command.
local function plain_line(ctx, words)
  if ctx.all or #words ~= 2 then
    return nil
  end
  local _, command = cli.command_named(words[1])
  local name = words[2]
  if command == "add" and cli.valid_name(name) and not name:find("%c") or
    command == "delete" and cli.valid_name(name) then
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

-- The batch's commands, {words, lineno, eof}, with "netns" (or "net",
-- "netn") taken off the front; those read ahead, or given back, come
-- first. One marked alone is run by itself.
local function command_queue(next_command)
  -- queue[first .. last]; given back goes in front
  local queue, first, last = {}, 1, 0
  local q = {}
  function q.take()
    if first <= last then
      local cmd = queue[first]
      queue[first], first = nil, first + 1
      return cmd
    end
    local words, lineno, eof = next_command()
    if words and is_object_word(words[1]) then
      table.remove(words, 1)
    end
    return { words, lineno, eof }
  end
  function q.give_back(cmd)
    first = first - 1
    queue[first] = cmd
  end
  return q
end

-- The lines in a row of command fn from first on, as far as RUN_LINES.
local function line_run(ctx, q, first, fn)
  local run = { first }
  while #run < RUN_LINES do
    local cmd = q.take()
    if cmd.alone or not cmd[1] or plain_line(ctx, cmd[1]) ~= fn then
      q.give_back(cmd)
      break
    end
    run[#run + 1] = cmd
  end
  return run
end

-- Add lines in a row make their namespaces on every CPU at once; delete
-- lines in a row are removed in one call. Those not done go back, the
-- first of them marked to run alone, as every line runs, so that what it
-- prints and whether the batch goes on are as if all had run one by one.
local function run_lines(q, run, fn)
  local names = {}
  for i, cmd in ipairs(run) do
    names[i] = cmd[1][2]
  end
  local done
  if fn == "add" then
    done = ops.add_many(names, warn)
  else
    done = ops.delete_many(names)
  end
  for i = #run, done + 1, -1 do
    run[i].alone = i == done + 1
    q.give_back(run[i])
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
  local q = command_queue(require("netns.batch").commands(fh))
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
    local run = fn and line_run(ctx, q, cmd, fn)
    if run and #run > 1 then
      run_lines(q, run, fn)
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
