-- The Lua library, driven through scripts run by the built binary, and
-- checked against the kernel's state (ip netns, /proc, the mount table).

local INODE = [[
local function inode(path)
  local p = io.popen("stat -L -c %i " .. path)
  local v = p:read("l")
  p:close()
  return v
end
]]

return {
  {
    name = "library: add, set_id, list, ids, identify, pids, delete",
    files = { F = [[
local netns = require "netns"
assert(netns.add("lib-a"))
assert(netns.add("lib b"))
local ok, msg, eno = netns.add("lib-a")
print(ok, msg, eno)
assert(netns.set_id("lib-a", 4))
assert(netns.set_id("lib b", "auto"))
local seen = {}
for _, e in ipairs(assert(netns.list())) do
  seen[#seen + 1] = e.name .. "=" .. tostring(e.id)
end
table.sort(seen)
print(table.concat(seen, ","))
for _, r in ipairs(assert(netns.ids())) do
  print("nsid", r.nsid, r.current, r.name)
end
print("identify", #assert(netns.identify()))
print("pids", #assert(netns.pids("lib-a")))
print(netns.delete("nosuch"))
assert(netns.delete("lib b"))
]] },
    cmd = { "$NS $F", "$IP netns list",
      "findmnt -rn -o TARGET,FSTYPE | grep netns/" },
    expect = {
      {
        out = 'nil\tCannot create namespace file "/run/netns/lib-a": ' ..
          "File exists\t17\n" ..
          "lib b=0,lib-a=4\n" ..
          "nsid\t0\tnil\tlib b\n" ..
          "nsid\t4\tnil\tlib-a\n" ..
          "identify\t0\n" ..
          "pids\t0\n" ..
          'nil\tCannot remove namespace file "/run/netns/nosuch": ' ..
          "No such file or directory\t2\n",
        err = "", rc = 0,
      },
      { out = "lib-a (id: 4)\n", err = "", rc = 0 },
      { out = "/run/netns/lib-a nsfs\n", err = "", rc = 0 },
    },
  },
  {
    -- a coroutine that dies of an error closes no to-be-closed variable:
    -- run must come back all the same
    name = "library: run comes back when fn raises inside a coroutine",
    setup = "$NS add blue",
    files = { F = [[
local netns = require "netns"
local co = coroutine.create(function()
  netns.run("blue", function() error("boom", 0) end)
end)
print(coroutine.resume(co))
print(#netns.identify())
print(netns.run("blue", function() return netns.identify()[1] end))
print(coroutine.wrap(function()
  return netns.run("blue", function() return "in " .. netns.identify()[1] end)
end)())
print(#netns.identify())
]] },
    cmd = "$NS $F",
    expect = { out = "false\tboom\n0\nblue\nin blue\n0\n", err = "", rc = 0 },
  },
  {
    name = "library: a handle of open stays its namespace, nested runs"
      .. " come back, a closed one is refused",
    setup = "$NS add h1; $NS add h2",
    files = { F = INODE .. [[
local netns = require "netns"
local home = inode("/proc/self/ns/net")
local was = inode("/run/netns/h1")
local h = assert(netns.open("h1"))
print(h.name, tostring(h))
print(h:run(inode, "/proc/self/ns/net") == was)
-- a name run inside a handle's run comes back to the handle's namespace
print(netns.run(h, function()
  local there = netns.run("h2", inode, "/proc/self/ns/net")
  return there == inode("/run/netns/h2"), inode("/proc/self/ns/net") == was
end))
local ok, err = pcall(netns.run, h, function() error("raised", 0) end)
print(ok, err, inode("/proc/self/ns/net") == home)
-- the name goes and comes back as another namespace; the handle stays
assert(netns.delete("h1"))
assert(netns.add("h1"))
print(netns.run(h, inode, "/proc/self/ns/net") == was,
  inode("/run/netns/h1") ~= was, #netns.run(h, netns.identify))
h:close()
print(tostring(h), pcall(netns.run, h, print))
print(inode("/proc/self/ns/net") == home)
do
  local g <close> = assert(netns.open("h2"))
  print(g:run(netns.identify)[1])
end
print(netns.open("nosuch"))
print(pcall(netns.open, "a/b"))
-- closed inside its own run: refused from then on, but the run still
-- comes home, and what runs inside until then stays there
local k = assert(netns.open("h2"))
print(k:run(function()
  k:close()
  assert(netns.add("h3"))
  return netns.identify()[1], netns.run("h1", netns.identify)[1],
    netns.identify()[1], pcall(netns.run, k, print)
end))
print(select("#", netns.add("h4")),
  select("#", netns.add("h5", { lo = true })))
print(inode("/proc/self/ns/net") == home, pcall(k.run, k))
print(pcall(netns.run, {}, print))
]] },
    cmd = "$NS $F",
    expect = {
      out = "h1\tnetns.namespace (h1)\ntrue\ntrue\ttrue\n" ..
        "false\traised\ttrue\ntrue\ttrue\t0\n" ..
        'netns.namespace (h1, closed)\tfalse\tnamespace handle of "h1" ' ..
        "is closed\ntrue\nh2\n" ..
        'nil\tCannot open network namespace "nosuch": ' ..
        "No such file or directory\t2\n" ..
        "false\tbad argument #1 to 'open' (invalid netns name \"a/b\")\n" ..
        "h2\th1\th2\tfalse\t" ..
        'namespace handle of "h2" is closed\n1\t1\n' ..
        "true\tfalse\tbad argument #2 to 'run' (function expected, got " ..
        "nil)\n" ..
        "false\tbad argument #1 to 'run' (string or handle expected, got " ..
        "table)\n",
      err = "", rc = 0,
    },
  },
  {
    name = "library: add_many makes distinct namespaces, all or nothing",
    setup = "$NS add taken",
    files = { F = INODE .. [[
local netns = require "netns"
local names = {}
for i = 1, 40 do
  names[i] = "am" .. i
end
assert(netns.add_many(names))
local seen, count = {}, 0
for _, n in ipairs(names) do
  local ino = inode("/run/netns/" .. n)
  count = count + (seen[ino] and 0 or 1)
  seen[ino] = true
end
print(count, seen[inode("/proc/self/ns/net")] == nil)
-- a name taken, in the middle: add's message, and none of the list left
print(netns.add_many({ "bm1", "bm2", "taken", "bm4" }))
print(netns.add("taken"))
print(io.open("/run/netns/bm1") == nil, io.open("/run/netns/bm4") == nil)
print(netns.add_many({ "lo1", "lo2" }, { lo = true }))
print(pcall(netns.add_many, { "ok", "a/b" }))
print(pcall(netns.add_many, "x"))
print(pcall(netns.add_many, { "ok", 7 }))
print(pcall(netns.add_many, {}, { up = true }))
print(netns.add_many({}))
]] },
    cmd = { "$NS $F", "$IP netns exec lo2 ip link show lo | grep -c LOWER_UP",
      "$IP netns list | wc -l" },
    expect = {
      {
        out = "40\ttrue\n" ..
          'nil\tCannot create namespace file "/run/netns/taken": ' ..
          "File exists\t17\n" ..
          'nil\tCannot create namespace file "/run/netns/taken": ' ..
          "File exists\t17\n" ..
          "true\ttrue\ntrue\n" ..
          "false\tbad argument #1 to 'add_many' (invalid netns name " ..
          '"a/b")\n' ..
          "false\tbad argument #1 to 'add_many' (table expected, got " ..
          "string)\n" ..
          "false\tbad argument #1 to 'add_many' (string expected at [2], " ..
          "got number)\n" ..
          "false\tbad argument #2 to 'add_many' (unknown option 'up')\n" ..
          "true\n",
        err = "", rc = 0,
      },
      { out = "1\n", err = "", rc = 0 },
      { out = "43\n", err = "", rc = 0 },
    },
  },
  {
    -- a __len that grows and an __index that names paths outside the run
    -- directory: only the names read raw, and checked, are made
    name = "library: add_many reads its list raw, once",
    files = { F = [[
local netns = require "netns"
local calls = 0
local t = setmetatable({ "lm1", "lm2" }, {
  __len = function()
    calls = calls + 1
    return calls + 2
  end,
  __index = function(_, i)
    return "../lm-out" .. i
  end,
})
print(netns.add_many(t))
print(pcall(netns.add_many, { "x" }, setmetatable({}, {
  __pairs = function() error("pairs read") end,
  __index = function() error("index read") end,
})))
]] },
    cmd = { "$NS $F", "ls /run/netns; ls -d /run/lm-out* 2>/dev/null | wc -l" },
    expect = {
      { out = "true\ntrue\ttrue\n", err = "", rc = 0 },
      { out = "lm1\nlm2\nx\n0\n", err = "", rc = 0 },
    },
    timeout = 30,
  },
  {
    name = "library: -n NAME, then run elsewhere, comes back to NAME",
    setup = "$NS add n1; $NS add n2",
    files = { F = [[
local netns = require "netns"
print(netns.identify()[1])
print(netns.run("n2", netns.identify)[1])
print(netns.identify()[1])
]] },
    cmd = "$NS -n n1 $F",
    expect = { out = "n1\nn2\nn1\n", err = "", rc = 0 },
  },
  {
    name = "library: metamethods cannot change what C reads (a lying"
      .. " __len, an __index)",
    setup = "$NS add lv",
    files = { F = [[
local netns = require "netns"
local link = require "netns.core.link"
local rtnl = require "netns.core.rtnl"
-- only the one raw element is run, not a million
local argv = setmetatable({ "true" }, { __len = function() return 1 << 20 end })
print(netns.exec("lv", argv))
-- the mtu an __index would give is not read
local spec = setmetatable({ kind = "bridge", name = "b0" },
  { __index = function(_, k) return k == "mtu" and 1280 or nil end })
print(netns.run("lv", function()
  local s <close> = assert(rtnl.open())
  return link.add(s, spec)
end))
]] },
    cmd = "$NS $F",
    expect = { out = "exited\t0\ntrue\n", err = "", rc = 0 },
    check = "ip -n lv -o link show b0 | grep -q 'mtu 1500'",
  },
  {
    name = "library: run switches in and back, also when fn raises",
    setup = "$NS add r",
    files = { F = INODE .. [[
local netns = require "netns"
local home = inode("/proc/self/ns/net")
local inside = netns.run("r", function(x)
  assert(x == 42)
  return inode("/proc/self/ns/net")
end, 42)
print(inside == inode("/run/netns/r"), inside ~= home)
print(inode("/proc/self/ns/net") == home)
local ok, err = pcall(netns.run, "r", function() error("inside", 0) end)
print(ok, err, inode("/proc/self/ns/net") == home)
print(netns.run("nosuch", print))
print(table.concat(netns.run("r", netns.identify), ","))
]] },
    cmd = "$NS $F",
    expect = {
      out = "true\ttrue\ntrue\nfalse\tinside\ttrue\n" ..
        'nil\tCannot open network namespace "nosuch": ' ..
        "No such file or directory\t2\nr\n",
      err = "", rc = 0,
    },
  },
  {
    name = "library: exec reports exit codes and signals",
    setup = "$NS add e",
    files = { F = [[
local netns = require "netns"
print(netns.exec("e", { "sh", "-c", "exit 3" }))
print(netns.exec("e", { "sh", "-c", "kill -9 $$" }))
print(netns.exec("e", { "sh", "-c", "ls /sys/class/net" }))
print(netns.exec("e", { "nosuchcmd" }))
print(netns.exec("nosuch", { "true" }))
]] },
    cmd = "$NS $F",
    expect = {
      out = "exited\t3\nsignaled\t9\nlo\nexited\t0\nexited\t1\nexited\t255\n",
      err = 'exec of "nosuchcmd" failed: No such file or directory\n' ..
        'Cannot open network namespace "nosuch": No such file or ' ..
        "directory\n",
      rc = 0,
    },
  },
  {
    name = "library: attach and identify a process by pid",
    files = { F = [[
local netns = require "netns"
local pid = tonumber(arg[1])
assert(netns.attach("att", pid))
print(table.concat(assert(netns.identify(pid)), ","))
local found = false
for _, p in ipairs(assert(netns.pids("att"))) do
  found = found or p == pid
end
print(found)
print(netns.attach("att2", 999999))
]] },
    -- $P itself: the newest sleep on the machine may be anyone's; unshare
    -- becomes sleep once the namespace is made
    cmd = "spawn P unshare -n sleep 30; i=0; " ..
      "while [ \"$(cat /proc/$P/comm)\" != sleep ] && [ $i -lt 200 ]; do " ..
      "i=$((i + 1)); sleep 0.05; done; $NS $F $P",
    expect = {
      out = "att\ntrue\nnil\tBind /proc/999999/ns/net -> /run/netns/att2 " ..
        "failed: No such file or directory\t2\n",
      err = "", rc = 0,
    },
    check = "[ ! -e /run/netns/att2 ]",
  },
  {
    name = "library: monitor iterates over names as they come and go",
    files = { F = [[
local netns = require "netns"
local events = assert(netns.monitor())
assert(netns.add("m1"))
assert(netns.delete("m1"))
print(events())
print(events())
]] },
    cmd = "$NS $F",
    expect = { out = "add\tm1\ndelete\tm1\n", err = "", rc = 0 },
  },
  {
    name = "library: misuse raises, never crashes",
    files = { F = [[
local netns = require "netns"
local fs = require "netns.core.fs"
local rtnl = require "netns.core.rtnl"
local function try(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (tostring(err):gsub("^[^:]*:%d+: ", "")))
end
try(netns.add, 1)
try(netns.add, "a/b")
try(netns.add, "")
try(netns.add, "line\nbreak")
try(netns.attach, "x", "12")
try(netns.set_id, "x", -5)
try(netns.exec, "x", {})
try(netns.exec, "x", { 1 })
try(netns.run, "x", "notfn")
local fd = assert(fs.open("/proc/self/ns/net"))
fd:close()
try(fs.fstat, fd)
local sock = assert(rtnl.open())
sock:close()
try(function() return sock:get_nsid(0) end)
try(fs.open, {})
try(fs.mkdir)
print(fd:close(), tostring(fd))
]] },
    cmd = "$NS $F",
    expect = {
      out = "false\tbad argument #1 to 'add' (string expected, got number)\n" ..
        "false\tbad argument #1 to 'add' (invalid netns name \"a/b\")\n" ..
        "false\tbad argument #1 to 'add' (invalid netns name \"\")\n" ..
        "false\tbad argument #1 to 'add' (invalid netns name " ..
        "\"line\nbreak\")\n" ..
        "false\tbad argument #2 to 'attach' (process id expected, got " ..
        "12)\n" ..
        "false\tbad argument #2 to 'set_id' (nsid or \"auto\" expected, " ..
        "got -5)\n" ..
        "false\tbad argument #2 to 'exec' (empty command)\n" ..
        "false\tbad argument #2 to 'exec' (argv[1] is not a string)\n" ..
        "false\tbad argument #2 to 'run' (function expected, got " ..
        "string)\n" ..
        "false\tbad argument #1 to 'netns.core.fs.fstat' (attempt to use " ..
        "a closed descriptor)\n" ..
        "false\tcalling 'get_nsid' on bad self (attempt to use a closed " ..
        "socket)\n" ..
        "false\tbad argument #1 to 'netns.core.fs.open' (string " ..
        "expected, got table)\n" ..
        "false\tbad argument #1 to 'netns.core.fs.mkdir' (string " ..
        "expected, got no value)\n" ..
        "true\tnetns.fd (closed)\n",
      err = "", rc = 0,
    },
  },
  {
    -- only a netlink socket needs libmnl (core/mnl.c); a command that
    -- opens none never loads it, one that does finds it working
    name = "library: libmnl is loaded by the first netlink socket",
    setup = "$NS add m1",
    files = { F = [[
local function loaded()
  local f = assert(io.open("/proc/self/maps"))
  local maps = f:read("a")
  f:close()
  return maps:find("libmnl", 1, true) ~= nil
end
local netns = require "netns"
print("start", loaded())
assert(netns.add("m2"))
print("add", loaded())
print("list", #assert(netns.list()), loaded())
assert(netns.set_id("m2", 7))
for _, e in ipairs(assert(netns.list())) do
  if e.name == "m2" then
    print("m2", e.id)
  end
end
]] },
    cmd = { "$NS $F",
      "$NS exec m1 sh -c 'grep -c libmnl /proc/$PPID/maps'" },
    expect = {
      { out = "start\tfalse\nadd\tfalse\nlist\t2\ttrue\nm2\t7\n",
        err = "", rc = 0 },
      { out = "0\n", err = "", rc = 1 },
    },
  },
  {
    -- a libmnl.so.0 found first that lacks libmnl's functions: opening a
    -- socket fails with a message, the process goes on
    name = "library: a libmnl without its functions fails the socket only",
    setup = "$NS add m1; gcc -shared -fPIC -o $T/libmnl.so.0 -x c /dev/null",
    files = { F = [[
local netns = require "netns"
print(netns.list())
print(netns.add("m2"), #assert(require("netns.core.fs").readdir(
  "/run/netns")))
]] },
    cmd = { "LD_LIBRARY_PATH=$T $NS list", "LD_LIBRARY_PATH=$T $NS $F" },
    expect = {
      { out = "", err = "Cannot open netlink socket: libmnl.so.0: no " ..
        "mnl_attr_get_payload\n", rc = 1 },
      { out = "nil\tCannot open netlink socket: libmnl.so.0: no " ..
        "mnl_attr_get_payload\t79\ntrue\t2\n", err = "", rc = 0 },
    },
  },
  {
    -- topology.up sleeps between its looks at the links this way
    name = "library: fs.poll with no descriptor sleeps its time-out",
    files = {
      P = [[
local fs = require "netns.core.fs"
local t = os.time()
print(#fs.poll({}, 2000), os.time() - t >= 1)
print(pcall(fs.poll, {}))
]],
    },
    cmd = "$NS $P",
    expect = {
      out = "0\ttrue\nfalse\tbad argument #2 to 'netns.core.fs.poll' " ..
        "(a time-out expected with no descriptor)\n",
      err = "", rc = 0,
    },
  },
}
