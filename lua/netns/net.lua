-- Links, addresses, routes and sysctls of network namespaces, without
-- forking: each function takes the namespace to act in first (a name, a
-- handle of netns.open, or nil for the current one), opens a route
-- netlink socket there (this process switches in and straight back; the
-- socket stays bound to that namespace) and closes it again; a handle
-- keeps its socket for the next call. Misuse raises; a failure returns nil,
-- message, errno, the message naming action, object and namespace and
-- ending with the kernel's reason. See netns-net(7).

local addr = require "netns.core.addr"
local link = require "netns.core.link"
local route = require "netns.core.route"
local ops = require "netns._ops"

local M = {}

-- Argument checks ------------------------------------------------------

-- The name of the function of this module a check runs for: the nearest
-- one on the stack, since a call through pcall(net.veth, ...) has none
-- of its own to give. Second, the level of its caller for bad's error,
-- where luaL_argerror would point too.
local function public_fn()
  for level = 3, 12 do
    local info = debug.getinfo(level, "f")
    if not info then
      break
    end
    for name, fn in pairs(M) do
      if fn == info.func then
        return name, level
      end
    end
  end
  return "?", 3
end

local function bad(arg, msg)
  local name, level = public_fn()
  error(("bad argument #%d to '%s' (%s)"):format(arg, name, msg), level)
end

-- The namespace argument: nil, a handle, or a valid name as
-- netns.valid_name says.
local function check_ns(ns, arg)
  if ns == nil or ops.is_handle(ns) then
    return ns
  end
  if type(ns) ~= "string" then
    bad(arg, "namespace name, handle or nil expected, got " .. type(ns))
  end
  if ns == "" or #ns > 255 or ns:find("/", 1, true) or ns == "."
    or ns == ".." then
    bad(arg, ('invalid netns name "%s"'):format(ns))
  end
  return ns
end

-- A name a device can have: 1 to 15 bytes, and no NUL, which would cut
-- it short of what was asked.
local function ifname_ok(s)
  return #s > 0 and #s <= 15 and not s:find("\0", 1, true)
end

-- A device: a name (1 to 15 bytes) or an index.
local function check_link(l, arg)
  if math.type(l) == "integer" and l > 0 and l <= 0x7fffffff then
    return l
  end
  if type(l) ~= "string" or not ifname_ok(l) then
    bad(arg, ("interface name or index expected, got %s"):format(
      type(l) == "string" and ("%q"):format(l) or tostring(l)))
  end
  return l
end

local function check_ifname(v, arg)
  if type(v) ~= "string" then
    bad(arg, "interface name expected, got " .. type(v))
  end
  if not ifname_ok(v) then
    bad(arg, ("invalid interface name %q"):format(v))
  end
  return v
end

local function check_string(v, arg, what)
  if type(v) ~= "string" then
    bad(arg, what .. " expected, got " .. type(v))
  end
  return v
end

-- An options table with only the keys of types ({key = "integer"}); a
-- "link" is a device name or index.
local function check_opts(opts, arg, types)
  if opts == nil then
    return {}
  end
  if type(opts) ~= "table" then
    bad(arg, "options table expected, got " .. type(opts))
  end
  for k, v in pairs(opts) do
    local want = types[k]
    if not want then
      bad(arg, ("unknown option '%s'"):format(tostring(k)))
    end
    local got = math.type(v) == "integer" and "integer" or type(v)
    if want == "link" and (got == "string" or got == "integer") then
      got = "link"
    end
    if got ~= want then
      bad(arg, ("option '%s' must be %s"):format(k, want == "integer"
        and "an integer" or want == "link" and "a device name or index"
        or "a " .. want))
    end
  end
  return opts
end

-- Acting in a namespace ------------------------------------------------

-- true alone, or nil, message, errno.
local function result(ok, msg, eno)
  if ok then
    return true
  end
  return nil, msg, eno
end

local inside = ops.inside

local function where(ns)
  return ns and " in " .. ops.name_of(ns) or ""
end

-- A socket in ns, and whether the caller closes it: a handle's is kept.
local function socket_in(ns)
  if not ops.is_handle(ns) then
    local sock, msg, eno = inside(ns, ops.socket)
    return sock, msg, eno, true
  end
  ops.handle_fd(ns)
  if not ns.sock then
    local sock, msg, eno = inside(ns, ops.socket)
    if not sock then
      return nil, msg, eno
    end
    ns.sock = sock
  end
  return ns.sock
end

-- link.add takes the names and the options in one table; the names are
-- checked here before, so what it refuses is an option.
local OPTIONS_ARG = { veth = 5, dummy = 3, bridge = 3 }

-- A C function's complaint about its argument #k, raised as the public
-- function's, as if it had checked the value itself: the socket stands
-- where the namespace was, so #k is the same but for link.add's table.
local function raise_public(err, fn)
  local k, detail = ops.bad_argument(err)
  if not k then
    error(err, 0)
  end
  if fn == link.add then
    k = OPTIONS_ARG[public_fn()] or k
  end
  bad(k, detail)
end

-- fn(sock, ...) with a socket in ns; a refusal becomes "cannot WHAT:
-- REASON" with the kernel's words in iproute2's form.
local function call_as(ns, what, fn, ...)
  local sock, msg, eno, owned = socket_in(ns)
  if not sock then
    return nil, ("cannot %s: %s"):format(what, msg), eno
  end
  local s <close> = owned and sock or nil
  local res = table.pack(pcall(fn, sock, ...))
  if not res[1] then
    raise_public(res[2], fn)
  end
  if res[2] == nil then
    return nil, ("cannot %s: %s"):format(what,
      ops.netlink_message(res[3], res[5])), res[4]
  end
  return table.unpack(res, 2, res.n)
end

-- Its values, as they are: return returned(call(...)) keeps the public
-- function's frame on the stack while call runs, as a tail call would
-- not (see set).
local function returned(...)
  return ...
end

-- The same, WHAT followed by " in NS".
local function call(ns, what, fn, ...)
  return call_as(ns, what .. where(ns), fn, ...)
end

-- A descriptor of namespace target (a name, a handle, nil for the
-- current one), for the kernel to move a device to, and whether the
-- caller closes it.
local function ns_fd(target)
  if target == nil then
    local fd, msg, eno = ops.current_ns()
    if not fd then
      return nil, "cannot open /proc/self/ns/net: " .. msg, eno
    end
    return fd
  end
  return ops.target_fd(target)
end

-- Links ----------------------------------------------------------------

local LINK_OPTS = { mtu = "integer", address = "string", up = "boolean" }

local function add_link(ns, kind, name, opts, arg)
  check_ns(ns, 1)
  check_ifname(name, 2)
  opts = check_opts(opts, arg, LINK_OPTS)
  return call(ns, ("create %s %s"):format(kind, name), link.add, {
    kind = kind, name = name, mtu = opts.mtu, address = opts.address,
    up = opts.up,
  })
end

--- net.veth(ns_a, name_a, ns_b, name_b [, opts]) -> true
--                                              | nil, message, errno
-- A veth pair: name_a in ns_a, name_b in ns_b (nil: the current
-- namespace). opts: {mtu = N (both ends), up = B (both ends), master =
-- bridge (name_a made a port of that bridge of ns_a)}. The pair is made
-- in ns_a with its peer sent to ns_b in the same request, so no half of
-- it is left when that fails. See veth(4).
function M.veth(ns_a, a, ns_b, b, opts)
  check_ns(ns_a, 1)
  check_ifname(a, 2)
  check_ns(ns_b, 3)
  check_ifname(b, 4)
  opts = check_opts(opts, 5, { mtu = "integer", up = "boolean",
    master = "link" })
  if opts.master ~= nil and opts.master ~= 0 then
    check_link(opts.master, 5)
  end
  local what = ("create veth %s%s with peer %s"):format(a, where(ns_a), b)
  if ns_b ~= ns_a then
    what = what .. (ns_b and " in " .. ops.name_of(ns_b)
      or " in the current namespace")
  end
  -- a missing bridge is the kernel's "No such device" too
  if opts.master ~= nil and opts.master ~= 0 then
    what = ("%s, a port of %s"):format(what, opts.master)
  end
  local spec = { kind = "veth", name = a, peer = b, mtu = opts.mtu,
    up = opts.up, master = opts.master }
  local fd, msg, eno, owned
  if ns_b ~= ns_a then
    fd, msg, eno, owned = ns_fd(ns_b)
    if not fd then
      return nil, ("cannot %s: %s"):format(what, msg), eno
    end
    spec.peer_netns = fd
  end
  -- closed on the way out, a raised bad argument included
  local _ <close> = owned and fd or nil
  local ok
  ok, msg, eno = call_as(ns_a, what, link.add, spec)
  if not ok or not opts.up then
    return result(ok, msg, eno)
  end
  -- The peer cannot be brought up in the request that makes it; when it
  -- cannot be brought up at all, the pair goes again.
  ok, msg, eno = M.up(ns_b, b)
  if not ok then
    M.delete_link(ns_a, a)
  end
  return result(ok, msg, eno)
end

--- net.dummy(ns, name [, opts]) -> true | nil, message, errno
-- A dummy device. opts: {mtu = N, address = "aa:bb:..", up = B}.
function M.dummy(ns, name, opts)
  local ok, msg, eno = add_link(ns, "dummy", name, opts, 3)
  return result(ok, msg, eno)
end

--- net.bridge(ns, name [, opts]) -> true | nil, message, errno
-- A bridge, with the options of net.dummy. See bridge(8).
function M.bridge(ns, name, opts)
  local ok, msg, eno = add_link(ns, "bridge", name, opts, 3)
  return result(ok, msg, eno)
end

-- The checks, and the C functions' complaints that call_as raises again,
-- name the public function from the stack (bad), so public functions
-- call set, add_link and call in full, never as a tail call.
local function set(ns, l, what, changes)
  check_ns(ns, 1)
  check_link(l, 2)
  return call(ns, what, link.set, l, changes)
end

--- net.up(ns, link) -> true | nil, message, errno
-- Brings link (a name or an index) up. See ip-link(8).
function M.up(ns, l)
  local ok, msg, eno = set(ns, l, ("bring %s up"):format(l), { up = true })
  return result(ok, msg, eno)
end

--- net.down(ns, link) -> true | nil, message, errno
-- Brings link down. See ip-link(8).
function M.down(ns, l)
  local ok, msg, eno = set(ns, l, ("bring %s down"):format(l),
    { up = false })
  return result(ok, msg, eno)
end

--- net.lo_up(ns) -> true | nil, message, errno
-- Brings the loopback device of ns up, which a new namespace has down.
function M.lo_up(ns)
  local ok, msg, eno = set(ns, "lo", "bring lo up", { up = true })
  return result(ok, msg, eno)
end

--- net.enslave(ns, link, bridge) -> true | nil, message, errno
-- Makes link a port of bridge (both in ns). See bridge(8).
function M.enslave(ns, l, bridge)
  check_link(bridge, 3)
  local ok, msg, eno = set(ns, l, ("enslave %s to %s"):format(l, bridge),
    { master = bridge })
  return result(ok, msg, eno)
end

--- net.release(ns, link) -> true | nil, message, errno
-- Takes link out of its bridge.
function M.release(ns, l)
  local ok, msg, eno = set(ns, l,
    ("release %s from its master"):format(l), { master = false })
  return result(ok, msg, eno)
end

--- net.rename(ns, link, new_name) -> true | nil, message, errno
-- Gives link the name new_name (a string of 1 to 15 bytes).
function M.rename(ns, l, new)
  check_ifname(new, 3)
  local ok, msg, eno = set(ns, l, ("rename %s to %s"):format(l, new),
    { name = new })
  return result(ok, msg, eno)
end

--- net.set_mtu(ns, link, mtu) -> true | nil, message, errno
-- mtu: an integer, which the kernel checks against the device's range.
function M.set_mtu(ns, l, mtu)
  if math.type(mtu) ~= "integer" then
    bad(3, "integer expected, got " .. tostring(mtu))
  end
  local ok, msg, eno = set(ns, l, ("set mtu %d on %s"):format(mtu, l),
    { mtu = mtu })
  return result(ok, msg, eno)
end

--- net.set_mac(ns, link, address) -> true | nil, message, errno
-- address: "aa:bb:cc:dd:ee:ff".
function M.set_mac(ns, l, mac)
  check_string(mac, 3, "hardware address")
  local ok, msg, eno = set(ns, l, ("set address %s on %s"):format(mac, l),
    { address = mac })
  return result(ok, msg, eno)
end

local function target_name(target)
  if type(target) == "string" or ops.is_handle(target) then
    return ops.name_of(target)
  elseif type(target) == "table" then
    return "the namespace of pid " .. tostring(target.pid)
  end
  return "the namespace of descriptor " .. tostring(target)
end

--- net.move(ns, link, target) -> true | nil, message, errno
-- Moves link from ns to target: a namespace name, a handle of
-- netns.open, {pid = N} (that process's namespace) or a descriptor (a
-- netns.fd or an integer).
-- The device arrives down.
function M.move(ns, l, target)
  check_ns(ns, 1)
  check_link(l, 2)
  local what = ("move %s%s to %s"):format(l,
    ns and " from " .. ops.name_of(ns) or "", target_name(target))
  if type(target) == "table" and not ops.is_handle(target) then
    if math.type(target.pid) ~= "integer" or target.pid <= 0
      or next(target, next(target)) ~= nil then
      bad(3, "{pid = N} expected")
    end
    return returned(call_as(ns, what, link.set, l,
      { netns_pid = target.pid }))
  end
  if type(target) ~= "string" and not ops.is_handle(target) then
    if math.type(target) ~= "integer" and type(target) ~= "userdata" then
      bad(3, "namespace name, handle, {pid = N} or descriptor expected")
    end
    return returned(call_as(ns, what, link.set, l, { netns = target }))
  end
  check_ns(target, 3)
  local fd, msg, eno, owned = ns_fd(target)
  if not fd then
    return nil, ("cannot %s: %s"):format(what, msg), eno
  end
  local _ <close> = owned and fd or nil
  local ok
  ok, msg, eno = call_as(ns, what, link.set, l, { netns = fd })
  return result(ok, msg, eno)
end

--- net.delete_link(ns, link) -> true | nil, message, errno
-- Deleting one end of a veth pair deletes the other.
function M.delete_link(ns, l)
  check_ns(ns, 1)
  check_link(l, 2)
  return returned(call(ns, ("delete link %s"):format(l), link.delete, l))
end

--- net.links(ns) -> {{index = N, name = S, kind = S, mtu = N, up = B,
--   flags = {S, ...}, address = S, master = N, link = N, operstate = S},
--   ...} | nil, message, errno
-- Every device of ns, as netns.core.link.list gives them.
function M.links(ns)
  check_ns(ns, 1)
  return returned(call(ns, "list links", link.list))
end

--- net.index(ns, name) -> index | nil, message, errno
-- The index of the device called name in ns.
function M.index(ns, name)
  check_ns(ns, 1)
  check_ifname(name, 2)
  return returned(call(ns, ("find link %s"):format(name), link.index,
    name))
end

-- Addresses and routes -------------------------------------------------

--- net.addrs(ns [, link]) -> {{index = N, family = "inet" | "inet6",
--   address = S, prefixlen = N, scope = S, label = S, flags = {S, ...}},
--   ...} | nil, message, errno
-- The addresses of every device of ns, or of link.
function M.addrs(ns, l)
  check_ns(ns, 1)
  if l ~= nil then
    check_link(l, 2)
  end
  return returned(call(ns, l and ("list addresses of %s"):format(l)
    or "list addresses", addr.list, l))
end

--- net.addr_add(ns, link, cidr) -> true | nil, message, errno
-- cidr: "198.51.100.1/24" or "fd00::1/64" (no length: a host address).
-- See ip-address(8).
function M.addr_add(ns, l, cidr)
  check_ns(ns, 1)
  check_link(l, 2)
  check_string(cidr, 3, "address")
  return returned(call(ns, ("add address %s to %s"):format(cidr, l),
    addr.add, l, cidr))
end

--- net.addr_del(ns, link, cidr) -> true | nil, message, errno
-- Removes the address that net.addr_add would add. See ip-address(8).
function M.addr_del(ns, l, cidr)
  check_ns(ns, 1)
  check_link(l, 2)
  check_string(cidr, 3, "address")
  return returned(call(ns, ("delete address %s from %s"):format(cidr, l),
    addr.delete, l, cidr))
end

local function route_text(spec)
  if type(spec) ~= "table" then
    bad(2, "route table expected, got " .. type(spec))
  end
  local t = tostring(spec.dst)
  if spec.via ~= nil then
    t = t .. " via " .. tostring(spec.via)
  end
  if spec.dev ~= nil then
    t = t .. " dev " .. tostring(spec.dev)
  end
  return t
end

--- net.routes(ns [, family]) -> {{family = S, dst = S, via = S, dev = N,
--   table = N, metric = N, protocol = S, scope = S, type = S}, ...}
--   | nil, message, errno
-- The routes of every table of ns; family "inet" or "inet6" keeps one.
function M.routes(ns, family)
  check_ns(ns, 1)
  return returned(call(ns, "list routes", route.list, family))
end

--- net.route_add(ns, spec) -> true | nil, message, errno
-- spec: {dst = "default" | "203.0.113.0/24" | "fd00:1::/64", via = S,
-- dev = name | index, table = N, metric = N, family = "inet" | "inet6"}.
-- See ip-route(8).
function M.route_add(ns, spec)
  check_ns(ns, 1)
  return returned(call(ns, "add route " .. route_text(spec),
    route.add, spec))
end

--- net.route_del(ns, spec) -> true | nil, message, errno
-- The spec of net.route_add; what it leaves out matches any route.
function M.route_del(ns, spec)
  check_ns(ns, 1)
  return returned(call(ns, "delete route " .. route_text(spec),
    route.delete, spec))
end

-- Sysctls --------------------------------------------------------------

-- "net.ipv4.ip_forward" or "net/ipv4/conf/eth0.5/forwarding" (the form
-- for device names with dots), only under net: the rest of /proc/sys is
-- the whole machine's, not the namespace's.
local function sysctl_path(key)
  check_string(key, 2, "sysctl key")
  local path = key:find("/", 1, true) and key or key:gsub("%.", "/")
  if not path:find("^net/[^/]") or path:find("/%.%.?/") or
    path:find("/%.%.?$") or path:find("//", 1, true) then
    bad(2, ("not a net sysctl: %s"):format(key))
  end
  return "/proc/sys/" .. path
end

local function read_file(path)
  local f, msg, eno = io.open(path, "r")
  if not f then
    return nil, msg, eno
  end
  local v
  v, msg, eno = f:read("a")
  f:close()
  if not v then
    return nil, msg, eno
  end
  return (v:gsub("\n$", ""))
end

-- Unbuffered, so that the kernel's refusal comes back from the write.
local function write_file(path, value)
  local f, msg, eno = io.open(path, "w")
  if not f then
    return nil, msg, eno
  end
  f:setvbuf("no")
  local ok
  ok, msg, eno = f:write(value, "\n")
  f:close()
  if not ok then
    return nil, path .. ": " .. msg, eno
  end
  return true
end

--- net.sysctl(ns, key [, value]) -> true | value | nil, message, errno
-- Writes value (a string or a number) to the sysctl key of ns, e.g.
-- net.sysctl("r", "net.ipv4.ip_forward", 1); without value, reads it.
-- Only keys under net are namespaced, and only those are taken.
-- See sysctl(8).
function M.sysctl(ns, key, value)
  check_ns(ns, 1)
  local path = sysctl_path(key)
  local what
  if value == nil then
    what = "read " .. key
  elseif type(value) == "string" or type(value) == "number" then
    value = tostring(value)
    what = ("set %s to %s"):format(key, value)
  else
    bad(3, "string or number expected, got " .. type(value))
  end
  local res, msg, eno
  if value == nil then
    res, msg, eno = inside(ns, read_file, path)
  else
    res, msg, eno = inside(ns, write_file, path, value)
  end
  if res == nil then
    return nil, ("cannot %s%s: %s"):format(what, where(ns), msg), eno
  end
  return res
end

return M
