-- The netns library: the same recipes the commands run, as Lua functions
-- that take and return Lua values. Misuse (a wrong type, an invalid name)
-- raises an error; a system failure returns nil, message, errno, as Lua's
-- io library does, so calls can be wrapped in assert(). See netns-lua(7).

require "netns.core"
local fs = require "netns.core.fs"
local ns = require "netns.core.ns"
local ops = require "netns._ops"

local M = {
  RUN_DIR = ns.RUN_DIR,
  ETC_DIR = ns.ETC_DIR,
  VERSION = ns.VERSION,
}

local function ignore() end

--- netns.valid_name(name) -> boolean
-- Whether name can be a new namespace name: not empty, "." or "..", at
-- most 255 bytes, no "/" and no control character (a newline would make
-- text output ambiguous). Names of existing namespaces need only the
-- first rules (see name_ok), so those made by other tools still work.
function M.valid_name(name)
  return M.name_ok(name) and not name:find("%c")
end

local function name_ok(name)
  return type(name) == "string" and name ~= "" and #name <= 255
    and not name:find("[/%z]") and name ~= "." and name ~= ".."
end
M.name_ok = name_ok

-- Raised at the caller of the public function, in luaL_argerror's words.
local function argerror(fname, arg, msg)
  error(("bad argument #%d to '%s' (%s)"):format(arg, fname, msg), 4)
end

-- add and attach make names and want valid_name; the others take the
-- name of an existing namespace, which only needs name_ok.
local function check_name(fname, name, arg)
  if type(name) ~= "string" then
    argerror(fname, arg, "string expected, got " .. type(name))
  end
  local good = (fname == "add" or fname == "add_many"
    or fname == "attach") and M.valid_name or M.name_ok
  if not good(name) then
    argerror(fname, arg, ('invalid netns name "%s"'):format(name))
  end
  return name
end

-- A name, or a handle of netns.open.
local function check_target(fname, v, arg)
  if ops.is_handle(v) then
    return v
  end
  if type(v) ~= "string" then
    argerror(fname, arg, "string or handle expected, got " .. type(v))
  end
  if not M.name_ok(v) then
    argerror(fname, arg, ('invalid netns name "%s"'):format(v))
  end
  return v
end

local function check_type(fname, v, t, arg)
  if type(v) ~= t then
    argerror(fname, arg, t .. " expected, got " .. type(v))
  end
  return v
end

local function check_pid(fname, pid, arg)
  if math.type(pid) ~= "integer" or pid <= 0 then
    argerror(fname, arg, "process id expected, got " .. tostring(pid))
  end
  return pid
end

local function with_socket(fn, ...)
  local sock, msg, eno = ops.socket()
  if not sock then
    return nil, msg, eno
  end
  local res = table.pack(pcall(fn, sock, ...))
  sock:close()
  if not res[1] then
    error(res[2], 0)
  end
  return table.unpack(res, 2, res.n)
end

--- netns.list() -> {{name = NAME, id = N}, ...} | nil, message, errno
-- Every name in the run directory, in directory order; id is the nsid the
-- current namespace has for it, or nil. An entry that is not a namespace
-- has an error field with the kernel's refusal. No run directory: {}.
function M.list()
  return with_socket(function(sock)
    local entries, msg, eno = ops.list(sock)
    if not entries then
      return nil, msg, eno
    end
    for _, e in ipairs(entries) do
      e.error, e.err = e.err, nil
    end
    return entries
  end)
end

-- Read raw, as every option table is: { lo = boolean }.
local function check_add_opts(fname, opts)
  if opts == nil then
    return {}
  end
  check_type(fname, opts, "table", 2)
  for k in next, opts do
    if k ~= "lo" then
      argerror(fname, 2, ("unknown option '%s'"):format(tostring(k)))
    end
  end
  return { lo = rawget(opts, "lo") }
end

--- netns.add(name [, opts]) -> true | nil, message, errno
-- A new network namespace named name; the caller stays where it is.
-- opts.lo = true brings its loopback device up; if that fails, the name
-- is removed again.
function M.add(name, opts)
  check_name("add", name, 1)
  local ok, msg, eno = ops.add_lo(name, check_add_opts("add", opts).lo,
    ignore)
  if not ok then
    return nil, msg, eno
  end
  return true
end

local function remove_first(names, n)
  for i = 1, n do
    ops.delete(names[i])
  end
end

--- netns.add_many(names [, opts]) -> true | nil, message, errno
-- netns.add for each name of the list names, the namespaces made on
-- every CPU at once: for many names, faster than one add after another.
-- All or nothing: after a failure no name of the list is left, and the
-- message is that of the first name that failed. opts as for netns.add.
function M.add_many(list, opts)
  check_type("add_many", list, "table", 1)
  -- One raw copy, checked once: whatever the caller's table says later,
  -- only the names checked are made, and the loops below end.
  local names = {}
  for i = 1, rawlen(list) do
    local name = rawget(list, i)
    if type(name) ~= "string" then
      error(("bad argument #1 to 'add_many' (string expected at [%d], got"
        .. " %s)"):format(i, type(name)), 2)
    end
    check_name("add_many", name, 1)
    names[i] = name
  end
  opts = check_add_opts("add_many", opts)
  local done = 0
  while done < #names do
    local k, tried = ops.add_many(table.move(names, done + 1, #names, 1,
      {}))
    done = done + k
    if k < tried then
      -- made alone, it says why it fails (or it just got room)
      local ok, msg, eno = ops.add(names[done + 1])
      if not ok then
        remove_first(names, done)
        return nil, msg, eno
      end
      done = done + 1
    end
  end
  if opts.lo then
    local net = require "netns.net"
    for i = 1, #names do
      local ok, msg, eno = net.lo_up(names[i])
      if not ok then
        remove_first(names, #names)
        return nil, msg, eno
      end
    end
  end
  return true
end

--- netns.attach(name, pid) -> true | nil, message, errno
-- Names the network namespace of process pid.
function M.attach(name, pid)
  check_name("attach", name, 1)
  return ops.attach(name, check_pid("attach", pid, 2), ignore)
end

--- netns.delete(name) -> true | nil, message, errno
-- Removes the name; the namespace lives on while something holds it.
function M.delete(name)
  return ops.delete(check_name("delete", name, 1))
end

--- netns.set_id(name, id) -> true | nil, message, errno
-- Gives name the nsid id (an integer >= 0, or "auto") as seen from here.
function M.set_id(name, id)
  check_name("set_id", name, 1)
  if id == "auto" then
    id = -1
  elseif math.type(id) ~= "integer" or id < 0 or id > 0x7fffffff then
    error(('bad argument #2 to \'set_id\' (nsid or "auto" expected, got %s)')
      :format(tostring(id)), 2)
  end
  return with_socket(ops.set_id, name, id)
end

--- netns.identify([pid]) -> {name, ...} | nil, message, errno
-- Every name of the network namespace of pid (default: this process).
function M.identify(pid)
  if pid ~= nil then
    check_pid("identify", pid, 1)
  end
  return ops.identify(pid and tostring(pid) or "self")
end

--- netns.pids(name) -> {pid, ...} | nil, message, errno
-- The processes whose network namespace is name's, in /proc order.
function M.pids(name)
  return ops.pids(check_name("pids", name, 1))
end

local function id_names(sock)
  local names = {}
  for _, name in ipairs(ops.names() or {}) do
    local id = ops.nsid_of(sock, name)
    if id and id >= 0 and not names[id] then
      names[id] = name
    end
  end
  return names
end

local function nsid_target(sock, name)
  if name == nil then
    return nil
  end
  check_name("ids", name, 1)
  local id, msg, eno = ops.nsid_of(sock, name)
  if id == false then
    return ops.open(name)
  end
  if not id then
    return nil, msg, eno
  end
  if id < 0 then
    return nil, ('namespace "%s" has no nsid here; netns.set_id(name,'
      .. ' "auto") gives it one'):format(name), fs.ENOENT
  end
  return id
end

--- netns.ids([name]) -> {{nsid = N, current = M, name = NAME}, ...}
--                    | nil, message, errno
-- The nsid table of the current namespace, or of name's (which must have
-- an id here) with current the id this namespace uses for each peer.
function M.ids(name)
  return with_socket(function(sock)
    local target, msg, eno = nsid_target(sock, name)
    if name ~= nil and not target then
      return nil, msg, eno
    end
    local recs, ktext
    recs, msg, eno, ktext = sock:dump_nsids(target)
    if not recs then
      return nil, ops.netlink_message(msg, ktext), eno
    end
    local names = id_names(sock)
    for _, rec in ipairs(recs) do
      rec.name = names[rec.current or rec.nsid]
      if rec.nsid < 0 then
        rec.nsid = nil
      end
      if rec.current and rec.current < 0 then
        rec.current = nil
      end
    end
    return recs
  end)
end

--- netns.exec(name, argv) -> "exited", code | "signaled", signal
--                         | nil, message, errno
-- Runs argv (a list of strings; argv[1] searched in PATH) inside name as
-- `netns exec` does, in a child, and waits for it.
function M.exec(name, argv)
  check_name("exec", name, 1)
  check_type("exec", argv, "table", 2)
  -- raw, as the C side reads it: metamethods cannot change the command
  if rawlen(argv) < 1 then
    error("bad argument #2 to 'exec' (empty command)", 2)
  end
  for i = 1, rawlen(argv) do
    if type(rawget(argv, i)) ~= "string" then
      error(("bad argument #2 to 'exec' (argv[%d] is not a string)")
        :format(i), 2)
    end
  end
  return ops.spawn(name, argv)
end

--- netns.monitor() -> iterator | nil, message, errno
-- for event, name in netns.monitor() do ... end: event is "add" or
-- "delete", as names come and go; blocks between events. The iterator
-- raises if reading fails.
function M.monitor()
  local fd, msg, eno = ops.watch()
  if not fd then
    return nil, msg, eno
  end
  local queue, i = {}, 1
  return function()
    while i > #queue do
      local evs, rmsg = ops.events(fd)
      if not evs then
        fd:close()
        error(rmsg, 2)
      end
      queue, i = evs, 1
    end
    local ev = queue[i]
    i = i + 1
    return ev.event, ev.name
  end
end

--- netns.open(name) -> handle | nil, message, errno
-- The namespace called name, held open: it stays that namespace when the
-- name is deleted or made again. netns.run and netns.net take it where
-- they take a name, and enter it without opening anything, which makes
-- them faster. handle.name is the name; handle:run(fn, ...) is
-- netns.run(handle, fn, ...); handle:close() (also at the end of a
-- <close> variable) lets it go.
function M.open(name)
  check_name("open", name, 1)
  return ops.handle(name)
end

--- netns.run(name, fn, ...) -> the results of fn(...)
-- Calls fn with this process in name's network namespace (name may be a
-- handle of netns.open) and brings it back afterwards, also when fn
-- raises (the error goes on, with its traceback). Failing to enter
-- returns nil, message, errno.
function M.run(name, fn, ...)
  check_target("run", name, 1)
  check_type("run", fn, "function", 2)
  return ops.inside(name, fn, ...)
end

return M
