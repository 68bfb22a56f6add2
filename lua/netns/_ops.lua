-- The namespace recipes shared by the commands and the library. Nothing here
-- checks names: the callers do, because `-all` turns the check off. Every
-- function fails with nil, message, errno, and the message is the one the
-- netns command prints (iproute2's wording). Warnings that do not stop the
-- operation go to the warn function the caller passes.

require "netns.core"
local fs = require "netns.core.fs"
local inotify = require "netns.core.inotify"
local mount = require "netns.core.mount"
local ns = require "netns.core.ns"
local proc = require "netns.core.proc"
local rtnl = require "netns.core.rtnl"

local RUN_DIR = ns.RUN_DIR
local ETC_DIR = ns.ETC_DIR

local M = { RUN_DIR = RUN_DIR, ETC_DIR = ETC_DIR, VERSION = ns.VERSION }

local function path_of(name)
  return RUN_DIR .. "/" .. name
end
M.path_of = path_of

local function fail(eno, fmt, ...)
  return nil, fmt:format(...), eno
end

local function ignore() end

-- A kernel refusal reads as iproute2 prints it.
local function netlink_message(msg, ktext)
  if ktext then
    if ktext:sub(-1) ~= "." then
      ktext = ktext .. "."
    end
    return "Error: " .. ktext
  end
  return "RTNETLINK answers: " .. msg
end
M.netlink_message = netlink_message

function M.socket()
  local sock, msg, eno = rtnl.open()
  if not sock then
    return fail(eno, "Cannot open netlink socket: %s", msg)
  end
  return sock
end

-- Binding the directory onto itself makes it a mount point; making that
-- private before shared keeps it out of the peer group of a shared /run
-- (systemd hosts), so each name is one mount, not two.
local function bind_run_dir()
  local ok, msg, eno = mount.mount(RUN_DIR, RUN_DIR, "none", { "bind", "rec" })
  if not ok then
    return fail(eno, "mount --bind %s %s failed: %s", RUN_DIR, RUN_DIR, msg)
  end
  mount.mount(nil, RUN_DIR, "none", { "private", "rec" })
  return true
end

local function make_shared()
  local bound = false
  while true do
    local ok, msg, eno = mount.mount(nil, RUN_DIR, "none", { "shared", "rec" })
    if ok then
      return true
    end
    if eno ~= fs.EINVAL or bound then
      return fail(eno, "mount --make-shared %s failed: %s", RUN_DIR, msg)
    end
    ok, msg, eno = bind_run_dir()
    if not ok then
      return nil, msg, eno
    end
    bound = true
  end
end

local shared_here = false

-- A batch keeps the lock from its first add, attach or delete on, instead
-- of taking it for every line; it lets it go before anything runs a
-- command (which may want the lock itself) and at its end.
local keeping = false
local held

function M.keep_lock(on)
  keeping = on
  M.release_lock()
end

function M.release_lock()
  if held then
    held:close()
    held = nil
  end
end

-- What a caller does with the directory it was given when done.
local function unlock(dir)
  if dir and dir ~= held then
    dir:close()
  end
end

local function locked(dir)
  if keeping then
    held = dir
  end
  return dir
end

-- The run directory, made when it is not there: asked first, as it almost
-- always is, that costs one call instead of a mkdir as well. A failed
-- mkdir is the message, unless something else made the name meanwhile.
local function open_run_dir()
  local dir, msg, eno = fs.open(RUN_DIR, { "directory" })
  if not dir and eno == fs.ENOENT then
    local ok
    ok, msg, eno = fs.mkdir(RUN_DIR, tonumber("755", 8))
    if not ok and eno ~= fs.EEXIST then
      return fail(eno, "mkdir %s failed: %s", RUN_DIR, msg)
    end
    dir, msg, eno = fs.open(RUN_DIR, { "directory" })
  end
  if not dir then
    return fail(eno, 'Cannot open netns runtime directory "%s": %s',
      RUN_DIR, msg)
  end
  return dir
end

-- The run directory, created if need be and made a shared mount point, so
-- that names made here show in every mount namespace that shares it.
-- Returns the directory, locked: netns processes hold the lock while they
-- make or remove a name, so none sees another's half-made one. unlock()
-- releases it.
function M.prepare_run_dir(warn)
  local dir, msg, eno, ok = held, nil, nil, nil
  if not dir then
    dir, msg, eno = open_run_dir()
    if not dir then
      return nil, msg, eno
    end
    ok, msg = fs.flock(dir, "ex")
    if not ok then
      warn(('Warning: could not flock netns runtime directory "%s": %s')
        :format(RUN_DIR, msg))
    end
  end
  -- Once a process: the call walks every mount below the directory,
  -- which a batch of a thousand adds would otherwise pay a thousand times.
  -- A lock a batch took for a delete says nothing of it.
  if not shared_here then
    ok, msg, eno = make_shared()
    if not ok then
      unlock(dir)
      return nil, msg, eno
    end
    shared_here = true
  end
  return locked(dir)
end

-- The new, empty file a name is bound on; the mount is made through the
-- descriptor, so it lands on this very file even if the path changed.
local function create_file(path)
  local f, msg, eno = fs.open(path, { "create", "excl" }, 0)
  if not f then
    return fail(eno, 'Cannot create namespace file "%s": %s', path, msg)
  end
  return f
end

local function fd_path(f)
  return "/proc/self/fd/" .. f:fileno()
end

local function lock_run_dir()
  if held then
    return held
  end
  local dir = fs.open(RUN_DIR, { "directory" })
  if dir then
    fs.flock(dir, "ex")
  end
  return dir and locked(dir)
end

local UMOUNT_FLAGS = { "detach", "nofollow" }

-- Unlink the name; while the kernel says it is a mount point (EBUSY),
-- unmount the top one (never through a symbolic link planted there) and
-- try again, as many times as there are mounts. The first unlink fails
-- for a directory or in a read-only run directory before anything is
-- unmounted, so such a name keeps its namespace (iproute2 unmounts
-- first); a bare file just goes. When an unmount fails, the unlink after
-- it is the answer, as ip gives it: ENOENT if another process removed
-- the name meanwhile, EBUSY if the mount cannot be undone.
local function remove_name(path)
  local ok, msg, eno = fs.unlink(path)
  while not ok and eno == fs.EBUSY do
    local unmounted = mount.umount(path, UMOUNT_FLAGS)
    ok, msg, eno = fs.unlink(path)
    if not unmounted then
      break
    end
  end
  if not ok then
    return fail(eno, 'Cannot remove namespace file "%s": %s', path, msg)
  end
  return true
end

function M.delete(name)
  local dir = lock_run_dir()
  local ok, msg, eno = proc.held(remove_name, path_of(name))
  unlock(dir)
  if not ok then
    return nil, msg, eno
  end
  return true
end

-- Removes names from the first on, as delete does one after the other,
-- the steps made in C: returns k, the first k names are gone, and a
-- caller deletes names[k + 1] by itself to learn why it could not be.
function M.delete_many(names)
  local dir = lock_run_dir()
  local k = 0
  if dir then
    k = proc.held(mount.remove_names, dir, names)
  end
  unlock(dir)
  return k
end

-- Undo a half-made name; a failure to do so joins the first message.
local function undo(path, msg, eno)
  local ok, umsg = remove_name(path)
  if not ok then
    msg = msg .. "\n" .. umsg
  end
  return nil, msg, eno
end

local function new_netns(name, path, file)
  local ok, msg, eno = ns.unshare({ "net" })
  if not ok then
    return fail(eno, 'Failed to create a new network namespace "%s": %s',
      name, msg)
  end
  ok, msg, eno = mount.mount("/proc/self/ns/net", fd_path(file), "none",
    { "bind" })
  if not ok then
    return fail(eno, "Bind /proc/self/ns/net -> %s failed: %s", path, msg)
  end
  return true
end

local function add_locked(name, path)
  local file, msg, eno = create_file(path)
  if not file then
    return nil, msg, eno
  end
  local home
  home, msg, eno = M.current_ns()
  if not home then
    file:close()
    return undo(path, "Cannot open init namespace: " .. msg, eno)
  end
  local made, mmsg, meno = new_netns(name, path, file)
  file:close()
  local ok
  ok, msg, eno = ns.setns(home, "net")
  if not ok then
    -- Stuck in the new namespace (a user namespace that does not own the
    -- caller's may enter neither): the name stays, as in iproute2, and
    -- the fourth value tells the command to go no further.
    M.forget_current()
    return nil, "setns: " .. msg, eno, "stuck"
  end
  if not made then
    return undo(path, mmsg, meno)
  end
  return true
end

-- A fresh network namespace bound at RUN_DIR/name; the caller stays in
-- its own namespace, and a failure leaves no file behind. Signals are
-- held meanwhile, so that an interrupt leaves no file without its
-- namespace either; so for attach and delete.
function M.add(name, warn)
  local dir, msg, eno = M.prepare_run_dir(warn or ignore)
  if not dir then
    return nil, msg, eno
  end
  local ok, stuck
  ok, msg, eno, stuck = proc.held(add_locked, name, path_of(name))
  unlock(dir)
  if not ok then
    return nil, msg, eno, stuck
  end
  return true
end

-- At most this many names at once: each holds a descriptor meanwhile.
local MANY = 256

-- Makes names from the first on, as add makes them one after the other,
-- but the namespaces on every CPU at once (ns.add_nets). Returns k and
-- the number of names tried (at most MANY): the first k are made, and
-- nothing is left of the rest, so when k is short a caller adds
-- names[k + 1] by itself to learn why it could not be made. The files
-- are created in order, so a name given twice stops the run there.
function M.add_many(names, warn)
  local tried = math.min(#names, MANY)
  local dir = M.prepare_run_dir(warn or ignore)
  if not dir then
    return 0, tried
  end
  local paths = {}
  for i = 1, tried do
    paths[i] = path_of(names[i])
  end
  local k = proc.held(ns.add_nets, paths)
  unlock(dir)
  return k, tried
end

-- add, then bring lo up in the new namespace when lo is true; a name
-- whose lo cannot be brought up is removed again.
function M.add_lo(name, lo, warn)
  local ok, msg, eno, stuck = M.add(name, warn)
  if not ok then
    return nil, msg, eno, stuck
  elseif not lo then
    return true
  end
  ok, msg, eno = require("netns.net").lo_up(name)
  if not ok then
    M.delete(name)
    return nil, msg, eno
  end
  return true
end

local function attach_locked(path, pid)
  local file, msg, eno = create_file(path)
  if not file then
    return nil, msg, eno
  end
  local src = ("/proc/%d/ns/net"):format(pid)
  local ok
  ok, msg, eno = mount.mount(src, fd_path(file), "none", { "bind" })
  file:close()
  if ok then
    return true
  end
  msg = ("Bind %s -> %s failed: %s"):format(src, path, msg)
  local uok, umsg = fs.unlink(path)
  if not uok then
    msg = ('%s\nCannot remove namespace file "%s": %s'):format(msg, path, umsg)
  end
  return nil, msg, eno
end

-- Name the network namespace of process pid (an integer).
function M.attach(name, pid, warn)
  local dir, msg, eno = M.prepare_run_dir(warn or ignore)
  if not dir then
    return nil, msg, eno
  end
  local ok
  ok, msg, eno = proc.held(attach_locked, path_of(name), pid)
  unlock(dir)
  if not ok then
    return nil, msg, eno
  end
  return true
end

-- The names in the run directory, in directory order; a missing
-- directory has none, and the second value then says so.
function M.names()
  local names, msg, eno = fs.readdir(RUN_DIR)
  if names then
    return names
  end
  if eno == fs.ENOENT then
    return {}, "missing"
  end
  return fail(eno, "Failed to open directory %s: %s", RUN_DIR, msg)
end

-- Non-blocking, so that a FIFO planted in the run directory fails (the
-- kernel refuses it as a namespace) instead of hanging; it changes
-- nothing for namespace files.
function M.open(name)
  local fd, msg, eno = fs.open(path_of(name), { "nonblock" })
  if not fd then
    return fail(eno, 'Cannot open network namespace "%s": %s', name, msg)
  end
  return fd
end

-- Every name with the id this namespace holds for it, in directory
-- order: {{name = S, id = N or nil, err = message or nil}, ...}; err is
-- the kernel's refusal (not a namespace). A missing directory has none,
-- and the second value then says so.
function M.list(sock)
  local entries, msg, eno = sock:list(RUN_DIR)
  if not entries then
    if eno == fs.ENOENT then
      return {}, "missing"
    end
    return fail(eno, "Failed to open directory %s: %s", RUN_DIR, msg)
  end
  for _, e in ipairs(entries) do
    if e.id and e.id < 0 then
      e.id = nil
    end
    if e.msg then
      e.err = netlink_message(e.msg, e.ktext)
      e.msg, e.errno, e.ktext = nil, nil, nil
    end
  end
  return entries
end

-- The id this namespace holds for name: an integer (-1 for none), or nil
-- and the netlink message when the kernel refuses (not a namespace), or
-- false when the file cannot be opened at all.
function M.nsid_of(sock, name)
  local fd = fs.open(path_of(name), { "nonblock" })
  if not fd then
    return false
  end
  local id, msg, eno, ktext = sock:get_nsid(fd)
  fd:close()
  if not id then
    return nil, netlink_message(msg, ktext), eno
  end
  return id
end

function M.set_id(sock, name, id)
  local fd, msg, eno = M.open(name)
  if not fd then
    return nil, msg, eno
  end
  local ok, ktext
  ok, msg, eno, ktext = sock:set_nsid(fd, id)
  fd:close()
  if not ok then
    return nil, netlink_message(msg, ktext), eno
  end
  return true
end

-- Where this process is ---------------------------------------------------
--
-- A descriptor of the network namespace this process is in, kept once
-- opened: opening /proc/self/ns/net costs the kernel a new inode each
-- time, and was most of what netns.run took. inside() keeps it true;
-- switch_net (-n), which does not come back, drops it, and the next use
-- opens it again.
local current
local depth = 0 -- inside() calls under way

function M.current_ns()
  if current then
    return current
  end
  local fd, msg, eno = fs.open("/proc/self/ns/net")
  if not fd then
    return nil, msg, eno
  end
  current = fd
  return fd
end

-- Inside an inside() call, current is that call's target, which the call
-- itself closes; outside, it is ours to close.
function M.forget_current()
  if current and depth == 0 then
    current:close()
  end
  current = nil
end

-- Handles ------------------------------------------------------------------
--
-- netns.open(name): a namespace held by a descriptor, which stays the same
-- namespace whatever later becomes of the name, and is entered without
-- opening anything. netns.net keeps one socket in it (the sock field).
local Handle = { __name = "netns.namespace" }
Handle.__index = Handle

function M.handle(name)
  local fd, msg, eno = M.open(name)
  if not fd then
    return nil, msg, eno
  end
  return setmetatable({ name = name, fd = fd }, Handle)
end

function M.is_handle(v)
  return getmetatable(v) == Handle
end

-- The name a namespace argument goes by in messages.
function M.name_of(target)
  if getmetatable(target) == Handle then
    return target.name
  end
  return target
end

-- Closed while the process is inside it, the handle is refused from then
-- on, but its descriptor stays open until the run that entered it leaves:
-- until then, it is where the process is.
function Handle:close()
  if self.sock then
    self.sock:close()
    self.sock = nil
  end
  local fd = self.fd
  self.fd = nil
  if fd and (self.entered or 0) == 0 then
    fd:close()
  end
end
Handle.__close = Handle.close

function Handle:__tostring()
  return ("netns.namespace (%s%s)"):format(self.name,
    self.fd and "" or ", closed")
end

function Handle:run(fn, ...)
  return require("netns").run(self, fn, ...)
end

-- A closed handle is misuse, as a closed descriptor is: it raises.
function M.handle_fd(h)
  if not h.fd then
    error(('namespace handle of "%s" is closed'):format(h.name), 0)
  end
  return h.fd
end

-- The descriptor of target (a name or a handle), and whether the caller
-- must close it.
local function target_fd(target)
  if getmetatable(target) ~= Handle then
    local fd, msg, eno = M.open(target)
    return fd, msg, eno, true
  end
  return M.handle_fd(target)
end
M.target_fd = target_fd

-- This process into target's network namespace: the descriptor it went
-- by and whether the caller closes it, or nil, message, errno.
local function enter(target)
  local fd, msg, eno, owned = target_fd(target)
  if not fd then
    return nil, msg, eno
  end
  local ok
  ok, msg, eno = ns.setns(fd, "net")
  if not ok then
    if owned then
      fd:close()
    end
    return fail(eno, 'setting the network namespace "%s" failed: %s',
      M.name_of(target), msg)
  end
  return fd, nil, nil, owned
end

-- Only the network namespace: what `-n NAME` does before a command.
function M.switch_net(name)
  local fd, msg, eno = enter(name)
  if not fd then
    return nil, msg, eno
  end
  fd:close()
  M.forget_current()
  return true
end

-- The descriptor of target entered by inside() is let go.
local function release(target, fd, owned)
  if owned then
    fd:close()
    return
  end
  target.entered = target.entered - 1
  if target.entered == 0 and not target.fd then
    fd:close()
  end
end

-- Back home after inside()'s call of fn, and current and depth as they
-- were; raises when the process cannot go back.
local function go_home(back, target, fd, owned)
  depth = depth - 1
  local called, ok, msg = pcall(ns.setns, back, "net")
  release(target, fd, owned)
  if not (called and ok) then
    current = nil
    error("cannot return to the original network namespace: " ..
      tostring(called and msg or ok), 0)
  end
  current = back
end

-- In the main thread, a to-be-closed variable goes home as fn's error
-- passes, so that the error keeps the traceback of where it was raised.
local homecoming = {
  __close = function(self)
    go_home(self.back, self.target, self.fd, self.owned)
  end,
}

-- In a coroutine an error that ends it closes no such variable (not
-- until coroutine.close), so there fn's error is caught, and raised
-- again once home, from here.
local function leave(back, target, fd, owned, ok, ...)
  go_home(back, target, fd, owned)
  if not ok then
    error((...), 0)
  end
  return ...
end

-- Calls fn(...) with this process in network namespace target (a name, a
-- handle, or nil: where it is) and comes back, also when fn raises (the
-- error goes on). Failing to enter returns nil, message, errno.
function M.inside(target, fn, ...)
  if target == nil then
    return fn(...)
  end
  local back, msg, eno = M.current_ns()
  if not back then
    return nil, "cannot open /proc/self/ns/net: " .. msg, eno
  end
  local fd, owned
  fd, msg, eno, owned = enter(target)
  if not fd then
    return nil, msg, eno
  end
  current = fd
  depth = depth + 1
  if not owned then
    target.entered = (target.entered or 0) + 1
  end
  if not select(2, coroutine.running()) then
    return leave(back, target, fd, owned, pcall(proc.call, fn, ...))
  end
  local _ <close> = setmetatable({ back = back, target = target, fd = fd,
    owned = owned }, homecoming)
  return proc.call(fn, ...)
end

-- A child that enters name as `netns exec` does and becomes argv
-- (proc.spawn_in); returns how it ended: "exited", code or "signaled",
-- signal. A child that cannot enter or exec says why on stderr and exits
-- 255 (could not enter) or 1 (could not exec).
--
-- While it waits, the parent ignores SIGINT and SIGQUIT, as system(3)
-- does: a Ctrl-C at the terminal ends the command, not the prompt or the
-- script that started it (which then sees "signaled"). The child sets
-- back to default those that were not ignored before. When the command
-- ended by SIGINT and this process handles SIGINT (the prompt, while Lua
-- code runs), the handler hears of it too, so that a loop of commands
-- can be stopped.
local function waited(start)
  M.release_lock()
  io.stdout:flush()
  local handled, pid, msg, eno, how, code = proc.ignoring(function(reset)
    local p, m, e = start(reset)
    if not p then
      return nil, m, e
    end
    return p, nil, nil, proc.waitpid(p)
  end)
  if not pid then
    return fail(eno, "fork failed: %s", msg)
  end
  if handled and how == "signaled" and code == proc.SIGINT then
    proc.kill(proc.getpid(), proc.SIGINT)
  end
  return how, code
end

function M.spawn(name, argv)
  return waited(function(reset)
    return proc.spawn_in(name, argv, reset)
  end)
end

-- fn() in a forked copy of this process, which exits with the status fn
-- returns (1 if it raises, with the message on stderr); waited for as
-- spawn waits, so that a Ctrl-C ends fn's work and not the caller.
function M.apart(fn)
  return waited(function(reset)
    local pid, msg, eno = proc.fork()
    if pid ~= 0 then
      return pid, msg, eno
    end
    for _, sig in ipairs(reset) do
      proc.signal(sig, "default")
    end
    local ok, status = pcall(fn)
    if not ok then
      io.stderr:write(tostring(status), "\n")
      status = 1
    end
    io.stdout:flush()
    os.exit(math.type(status) == "integer" and status or 1)
  end)
end

-- The names in the run directory that refer to the namespace of process
-- pid (a string of digits, or "self"), in directory order.
function M.identify(pid)
  local fd, msg, eno = fs.open("/proc/" .. pid .. "/ns/net")
  if not fd then
    return fail(eno, "Cannot open network namespace: %s", msg)
  end
  local st = fs.fstat(fd)
  fd:close()
  local names
  names, msg, eno = fs.same_ns(RUN_DIR, st.dev, st.ino)
  if not names then
    if eno == fs.ENOENT then
      return {}
    end
    return fail(eno, "Failed to open directory %s:%s", RUN_DIR, msg)
  end
  return names
end

-- The processes (thread-group leaders) whose network namespace is name's.
function M.pids(name)
  local fd, msg, eno = fs.open(path_of(name), { "nonblock" })
  if not fd then
    return fail(eno, "Cannot open network namespace: %s", msg)
  end
  local st
  st, msg, eno = fs.fstat(fd)
  fd:close()
  if not st then
    return fail(eno, "Stat of netns failed: %s", msg)
  end
  local pids
  pids, msg, eno = fs.same_ns("/proc", st.dev, st.ino, "proc")
  if not pids then
    return fail(eno, "Open of /proc failed: %s", msg)
  end
  return pids
end

-- An inotify descriptor watching the run directory (made if missing).
function M.watch()
  M.release_lock()
  local fd, msg, eno = inotify.init()
  if not fd then
    return fail(eno, "inotify_init failed: %s", msg)
  end
  local ok
  ok, msg, eno = fs.mkdir(RUN_DIR, tonumber("755", 8))
  if not ok and eno ~= fs.EEXIST then
    fd:close()
    return fail(eno, "mkdir %s failed: %s", RUN_DIR, msg)
  end
  ok, msg, eno = inotify.add_watch(fd, RUN_DIR,
    { "create", "delete" })
  if not ok then
    fd:close()
    return fail(eno, "inotify_add_watch failed: %s", msg)
  end
  return fd
end

-- The next batch of events from M.watch: {{event = "add", name = ...}}.
function M.events(fd)
  local evs, msg, eno = inotify.read(fd)
  if not evs then
    return fail(eno, "read failed: %s", msg)
  end
  local out = {}
  for _, ev in ipairs(evs) do
    if ev.event == "create" then
      out[#out + 1] = { event = "add", name = ev.name }
    elseif ev.event == "delete" then
      out[#out + 1] = { event = "delete", name = ev.name }
    end
  end
  return out
end

-- The argument number and the reason of an error as luaL_argerror words
-- it ("bad argument #2 to 'f' (reason)"), or nothing for another error:
-- netns.net and netns.topology tell the C core's complaints as their own.
function M.bad_argument(err)
  if type(err) == "string" then
    local k, why = err:match("^bad argument #(%d+) to '[^']*' %((.*)%)$")
    if k then
      return tonumber(k), why
    end
  end
end

return M
