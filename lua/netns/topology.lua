-- Topologies: namespaces, links, addresses, routes and sysctls described
-- as a plain Lua table, built with up (all of it or, after a failure,
-- none of it), removed with down and compared with the kernel's state by
-- status. A description that does not hold together raises. See
-- netns-net(7) for the format.

local fs = require "netns.core.fs"
local net = require "netns.net"
local netns = require "netns"
local ops = require "netns._ops"

local M = {}

local KINDS = { veth = true, bridge = true, dummy = true }

-- Per section: the names of positional values in order, the type of
-- every field ("value": a string or a number), and the required ones.
local SECTIONS = {
  links = {
    pos = { "kind", "ns", "name", "peer_ns", "peer" },
    types = {
      kind = "string", ns = "string", name = "string", peer_ns = "string",
      peer = "string", master = "string", peer_master = "string",
      mtu = "integer", address = "string", up = "boolean",
    },
    need = { "kind", "ns", "name" },
  },
  addresses = {
    pos = { "ns", "link", "address" },
    types = { ns = "string", link = "string", address = "string" },
    need = { "ns", "link", "address" },
  },
  routes = {
    pos = { "ns", "dst" },
    types = {
      ns = "string", dst = "string", via = "string", dev = "string",
      table = "integer", metric = "integer", family = "string",
    },
    need = { "ns", "dst" },
  },
  sysctls = {
    pos = { "ns", "key", "value" },
    types = { ns = "string", key = "string", value = "value" },
    need = { "ns", "key", "value" },
  },
}
local TOP_KEYS = {
  namespaces = true, lo = true, links = true, addresses = true,
  routes = true, sysctls = true,
}

local function invalid(fmt, ...)
  error("invalid topology: " .. fmt:format(...), 0)
end

local function type_of(v)
  if math.type(v) == "integer" then
    return "integer"
  end
  return type(v)
end

local function check_value(where, key, want, v)
  local got = type_of(v)
  if want == "value" then
    if got ~= "string" and got ~= "integer" and got ~= "number" then
      invalid("%s: %s must be a string or a number", where, key)
    end
  elseif got ~= want then
    invalid("%s: %s must be %s, not %s", where, key,
      want == "integer" and "an integer" or "a " .. want, got)
  end
end

-- One entry of a section, positional values given their names.
local function entry(section, i, e)
  local spec = SECTIONS[section]
  local where = ("%s[%d]"):format(section, i)
  if type(e) ~= "table" then
    invalid("%s: table expected", where)
  end
  local out = {}
  for k, v in pairs(e) do
    local key = k
    if math.type(k) == "integer" then
      key = spec.pos[k]
      if not key then
        invalid("%s: too many values", where)
      end
    elseif not spec.types[k] then
      invalid("%s: unknown key '%s'", where, tostring(k))
    end
    if out[key] ~= nil then
      invalid("%s: %s given twice", where, key)
    end
    check_value(where, key, spec.types[key], v)
    out[key] = v
  end
  for _, key in ipairs(spec.need) do
    if out[key] == nil then
      invalid("%s: %s missing", where, key)
    end
  end
  out.where = where
  return out
end

local function check_link(l, listed)
  if not KINDS[l.kind] then
    invalid("%s: unknown kind '%s'", l.where, l.kind)
  end
  if l.kind == "veth" then
    if not l.peer then
      invalid("%s: a veth needs a peer", l.where)
    end
    l.peer_ns = l.peer_ns or l.ns
  elseif l.peer or l.peer_ns or l.peer_master then
    invalid("%s: only a veth has a peer", l.where)
  end
  for _, ns in ipairs({ l.ns, l.peer_ns }) do
    if not listed[ns] then
      invalid("%s: namespace '%s' is not in namespaces", l.where, ns)
    end
  end
  l.up = l.up ~= false
end

local function namespaces_of(desc)
  local list, listed = {}, {}
  if type(desc.namespaces) ~= "table" then
    invalid("namespaces: a list of names expected")
  end
  for i, name in ipairs(desc.namespaces) do
    if not netns.valid_name(name) then
      invalid("namespaces[%d]: invalid name %s", i, tostring(name))
    end
    if listed[name] then
      invalid("namespaces[%d]: %s given twice", i, name)
    end
    list[i], listed[name] = name, true
  end
  return list, listed
end

local function lo_of(desc, list, listed)
  if desc.lo == nil or desc.lo == false then
    return {}
  elseif desc.lo == true then
    return list
  elseif type(desc.lo) ~= "table" then
    invalid("lo: true, false or a list of namespaces expected")
  end
  for i, name in ipairs(desc.lo) do
    if not listed[name] then
      invalid("lo[%d]: namespace '%s' is not in namespaces", i,
        tostring(name))
    end
  end
  return desc.lo
end

-- The description with every entry in its named form, checked.
local function normalize(desc)
  if type(desc) ~= "table" then
    invalid("table expected, got %s", type(desc))
  end
  for k in pairs(desc) do
    if not TOP_KEYS[k] then
      invalid("unknown key '%s'", tostring(k))
    end
  end
  local d = {}
  local listed
  d.namespaces, listed = namespaces_of(desc)
  d.lo = lo_of(desc, d.namespaces, listed)
  for section in pairs(SECTIONS) do
    local list = desc[section] or {}
    if type(list) ~= "table" then
      invalid("%s: a list expected", section)
    end
    d[section] = {}
    for i, e in ipairs(list) do
      local n = entry(section, i, e)
      if section == "links" then
        check_link(n, listed)
      elseif not listed[n.ns] then
        invalid("%s: namespace '%s' is not in namespaces", n.where, n.ns)
      end
      d[section][i] = n
    end
  end
  return d
end

local function route_spec(r)
  return { dst = r.dst, via = r.via, dev = r.dev, table = r.table,
    metric = r.metric, family = r.family }
end

-- Building -------------------------------------------------------------

-- fn(...) for entry e of the description: a value the library refuses
-- (a bad argument: an address that does not parse, a name too long) is
-- the description's fault, told as that entry's.
local function as_entry(e, fn, ...)
  local res = table.pack(pcall(fn, ...))
  if not res[1] then
    local _, why = ops.bad_argument(res[2])
    if why and type(e) == "table" then
      invalid("%s: %s", e.where, why)
    end
    error(res[2], 0)
  end
  return table.unpack(res, 2, res.n)
end

-- The steps of up, in order: each returns true or nil, message, errno,
-- and registers how to take back what it made with undo(fn). at(name) is
-- the handle of a namespace up has made, which netns.net enters without
-- opening anything and with one socket kept; undo works by name.
local function make_links(d, undo, at)
  for _, l in ipairs(d.links) do
    local ok, msg, eno
    if l.kind == "veth" then
      ok, msg, eno = as_entry(l, net.veth, at(l.ns), l.name, at(l.peer_ns),
        l.peer, { mtu = l.mtu })
    else
      ok, msg, eno = as_entry(l, net[l.kind], at(l.ns), l.name,
        { mtu = l.mtu })
    end
    if not ok then
      return nil, msg, eno
    end
    undo(function()
      return net.delete_link(l.ns, l.name)
    end)
    if l.address then
      ok, msg, eno = as_entry(l, net.set_mac, at(l.ns), l.name, l.address)
      if not ok then
        return nil, msg, eno
      end
    end
  end
  return true
end

-- Ports are enslaved after all links exist, so a bridge may come last.
local function each_end(d, at, fn)
  for _, l in ipairs(d.links) do
    local ok, msg, eno = as_entry(l, fn, at(l.ns), l.name, l.master, l)
    if ok and l.kind == "veth" then
      ok, msg, eno = as_entry(l, fn, at(l.peer_ns), l.peer, l.peer_master,
        l)
    end
    if not ok then
      return nil, msg, eno
    end
  end
  return true
end

local function enslave(d, at)
  return each_end(d, at, function(ns, name, master)
    if not master then
      return true
    end
    return net.enslave(ns, name, master)
  end)
end

local function bring_up(d, at)
  return each_end(d, at, function(ns, name, _, l)
    if not l.up then
      return true
    end
    return net.up(ns, name)
  end)
end

-- A veth end is brought up at once, but passes packets only once the
-- kernel's link watcher has seen the carrier (operstate UP), which it
-- often does a second later; until then what is sent is dropped, so a
-- first ping lost its ARP request and waited for the next, or failed.
-- An IPv6 address is tentative, and unusable, until duplicate address
-- detection ends, a second or two after its link has carrier. up waits
-- for both, looking at each namespace's links or addresses at once, at
-- most READY_POLLS times READY_MS.
local READY_MS, READY_POLLS = 10, 400

local function ends_pending(d, at)
  local pending = {}
  each_end(d, at, function(ns, name, _, l)
    if l.kind == "veth" and l.up then
      pending[#pending + 1] = { ns = ns, name = name }
    end
    return true
  end)
  return pending
end

local function carrier_seen(pending)
  local states = {}
  for _, e in ipairs(pending) do
    if not states[e.ns] then
      states[e.ns] = {}
      for _, l in ipairs(net.links(e.ns) or {}) do
        states[e.ns][l.name] = l.operstate
      end
    end
    if states[e.ns][e.name] ~= "UP" then
      return false
    end
  end
  return true
end

local function tentative_in(ns)
  for _, a in ipairs(net.addrs(ns) or {}) do
    for _, flag in ipairs(a.flags) do
      if flag == "tentative" then
        return true
      end
    end
  end
  return false
end

-- The namespaces given an IPv6 address, once each.
local function v6_namespaces(d, at)
  local list, seen = {}, {}
  for _, a in ipairs(d.addresses) do
    if a.address:find(":", 1, true) and not seen[a.ns] then
      seen[a.ns] = true
      list[#list + 1] = at(a.ns)
    end
  end
  return list
end

local function v6_ready(list)
  for _, ns in ipairs(list) do
    if tentative_in(ns) then
      return false
    end
  end
  return true
end

local function wait_until_ready(d, at)
  local ends, v6 = ends_pending(d, at), v6_namespaces(d, at)
  for _ = 1, READY_POLLS do
    if (#ends == 0 or carrier_seen(ends)) and (#v6 == 0 or v6_ready(v6))
    then
      return true
    end
    fs.poll({}, READY_MS)
  end
  return true
end

local function each(list, fn)
  for _, e in ipairs(list) do
    local ok, msg, eno = as_entry(e, fn, e)
    if not ok then
      return nil, msg, eno
    end
  end
  return true
end

local function steps(d, undo, handles)
  local function at(name)
    return handles[name] or name
  end
  return {
    function()
      -- all or nothing: a failure leaves no name to undo
      local ok, msg, eno = netns.add_many(d.namespaces)
      if not ok then
        return nil, msg, eno
      end
      for _, name in ipairs(d.namespaces) do
        undo(function()
          return netns.delete(name)
        end)
        handles[name] = netns.open(name)
      end
      return true
    end,
    function()
      return each(d.lo, function(name)
        return net.lo_up(at(name))
      end)
    end,
    function()
      return make_links(d, undo, at)
    end,
    function()
      return enslave(d, at)
    end,
    function()
      return each(d.sysctls, function(s)
        return net.sysctl(at(s.ns), s.key, s.value)
      end)
    end,
    function()
      return bring_up(d, at)
    end,
    function()
      return each(d.addresses, function(a)
        return net.addr_add(at(a.ns), a.link, a.address)
      end)
    end,
    function()
      return each(d.routes, function(r)
        return net.route_add(at(r.ns), route_spec(r))
      end)
    end,
    function()
      -- last, so that the kernel works while addresses and routes go in
      return wait_until_ready(d, at)
    end,
  }
end

--- topology.up(desc) -> true | nil, message, errno
-- Builds desc: its namespaces (none may exist yet), lo, links, bridge
-- ports, sysctls, links up, addresses, routes, in that order. When a step
-- fails, what was made is removed again in reverse order, so the machine
-- is as before; the message is the step's, followed by any failure to
-- take things back. A value found invalid on the way (an address that
-- does not parse) raises, as normalize's checks do, once that is done.
function M.up(desc)
  local d = normalize(desc)
  local done, handles = {}, {}
  local function undo(fn)
    done[#done + 1] = fn
  end
  local ok, msg, eno = true
  local raised
  for _, step in ipairs(steps(d, undo, handles)) do
    local pok
    pok, ok, msg, eno = pcall(step)
    if not pok then
      raised, ok, msg = ok, false, ""
    end
    if not ok then
      break
    end
  end
  -- before any undo: a handle would keep a deleted namespace alive
  for _, h in pairs(handles) do
    h:close()
  end
  if ok then
    return true
  end
  for i = #done, 1, -1 do
    local uok, umsg = done[i]()
    if not uok then
      msg = msg .. "\n" .. umsg
    end
  end
  if raised then
    error(tostring(raised) .. msg, 0)
  end
  return nil, msg, eno
end

local function exists(name)
  return fs.stat(netns.RUN_DIR .. "/" .. name) ~= nil
end

--- topology.down(desc) -> true | nil, message, errno
-- Deletes the namespaces desc lists that exist, last first; their links
-- go with them. Nothing else is touched.
function M.down(desc)
  local d = normalize(desc)
  local errs, eno = {}, nil
  for i = #d.namespaces, 1, -1 do
    local name = d.namespaces[i]
    if exists(name) then
      local ok, msg, e = netns.delete(name)
      if not ok then
        errs[#errs + 1], eno = msg, eno or e
      end
    end
  end
  if #errs > 0 then
    return nil, table.concat(errs, "\n"), eno
  end
  return true
end

-- Status ---------------------------------------------------------------

-- An address in one spelling per value: IPv6 groups in full.
local function canon(a)
  if not a or not a:find(":", 1, true) then
    return a
  end
  local head, tail = a:match("^(.-)::(.*)$")
  local groups, back = {}, {}
  for g in (head or a):gmatch("[^:]+") do
    groups[#groups + 1] = g
  end
  for g in (tail or ""):gmatch("[^:]+") do
    back[#back + 1] = g
  end
  for _ = 1, head and 8 - #groups - #back or 0 do
    groups[#groups + 1] = "0"
  end
  for _, g in ipairs(back) do
    groups[#groups + 1] = g
  end
  for i, g in ipairs(groups) do
    groups[i] = ("%x"):format(tonumber(g, 16) or 0)
  end
  return table.concat(groups, ":")
end

local function canon_prefix(p)
  if p == "default" then
    return p
  end
  local a, len = p:match("^(.-)/(%d+)$")
  a = a or p
  len = len or (a:find(":", 1, true) and "128" or "32")
  return canon(a) .. "/" .. tonumber(len)
end

-- What status looks at, one query per namespace and kind.
local function state()
  local cache = {}
  local function get(kind, ns, fn)
    local key = kind .. "\0" .. ns
    if cache[key] == nil then
      local v, msg = fn(ns)
      cache[key] = v or { failed = msg }
    end
    return cache[key]
  end
  local s = {}
  function s.links(ns)
    if not exists(ns) then
      return { failed = ("namespace %s missing"):format(ns) }
    end
    local ls = get("links", ns, net.links)
    if not ls.failed and not ls.by_name then
      ls.by_name = {}
      for _, l in ipairs(ls) do
        ls.by_name[l.name] = l
      end
    end
    return ls
  end
  function s.addrs(ns)
    return get("addrs", ns, net.addrs)
  end
  function s.routes(ns)
    return get("routes", ns, net.routes)
  end
  return s
end

local function check_end(s, ns, name, kind, master, up)
  local ls = s.links(ns)
  if ls.failed then
    return nil, ls.failed
  end
  local dev = ls.by_name[name]
  if not dev then
    return nil, ("%s missing in %s"):format(name, ns)
  end
  if dev.kind ~= kind then
    return nil, ("%s is of kind %s"):format(name, dev.kind or "none")
  end
  if up ~= dev.up then
    return nil, ("%s is %s"):format(name, dev.up and "up" or "down")
  end
  if master and (not ls.by_name[master]
    or dev.master ~= ls.by_name[master].index) then
    return nil, ("%s is not a port of %s"):format(name, master)
  end
  return dev
end

local function link_why(s, l)
  local dev, why = check_end(s, l.ns, l.name, l.kind, l.master, l.up)
  if not dev then
    return why
  end
  if l.mtu and dev.mtu ~= l.mtu then
    return ("mtu of %s is %s"):format(l.name, tostring(dev.mtu))
  end
  if l.address and dev.address ~= l.address:lower() then
    return ("address of %s is %s"):format(l.name, tostring(dev.address))
  end
  if l.kind ~= "veth" then
    return nil
  end
  local peer
  peer, why = check_end(s, l.peer_ns, l.peer, "veth", l.peer_master, l.up)
  if not peer then
    return why
  end
  if dev.link ~= peer.index or peer.link ~= dev.index then
    return ("%s and %s are not peers"):format(l.name, l.peer)
  end
  return nil
end

local function addr_why(s, a)
  local ls = s.links(a.ns)
  if ls.failed then
    return ls.failed
  end
  local dev = ls.by_name[a.link]
  if not dev then
    return ("%s missing in %s"):format(a.link, a.ns)
  end
  local want = canon_prefix(a.address)
  for _, x in ipairs(s.addrs(a.ns)) do
    if x.index == dev.index
      and canon_prefix(x.address .. "/" .. x.prefixlen) == want then
      return nil
    end
  end
  return "missing"
end

local function route_why(s, r)
  local ls = s.links(r.ns)
  if ls.failed then
    return ls.failed
  end
  local dev = r.dev and ls.by_name[r.dev]
  if r.dev and not dev then
    return ("%s missing in %s"):format(r.dev, r.ns)
  end
  local want = canon_prefix(r.dst)
  for _, x in ipairs(s.routes(r.ns)) do
    if canon_prefix(x.dst) == want and x.table == (r.table or 254)
      and (not r.via or canon(x.via) == canon(r.via))
      and (not dev or x.dev == dev.index)
      and (not r.metric or x.metric == r.metric) then
      return nil
    end
  end
  return "missing"
end

local function sysctl_why(_, e)
  local v, msg = net.sysctl(e.ns, e.key)
  if not v then
    return msg
  end
  if v ~= tostring(e.value) then
    return ("is %s"):format(v)
  end
  return nil
end

local function label(section, e)
  if section == "links" then
    local t = ("%s %s in %s"):format(e.kind, e.name, e.ns)
    if e.kind == "veth" then
      t = t .. (" (peer %s in %s)"):format(e.peer, e.peer_ns)
    end
    return t
  elseif section == "addresses" then
    return ("address %s on %s in %s"):format(e.address, e.link, e.ns)
  elseif section == "routes" then
    return ("route %s%s in %s"):format(e.dst, e.via and " via " .. e.via
      or "", e.ns)
  end
  return ("sysctl %s = %s in %s"):format(e.key, tostring(e.value), e.ns)
end

--- topology.status(desc) -> {ok = B, namespaces = {...}, links = {...},
--   addresses = {...}, routes = {...}, sysctls = {...}}
-- For each thing desc describes, an entry {what = S, ok = B [, why = S]}
-- saying whether it is there as described; ok at the top is true when
-- everything is. Reads only.
function M.status(desc)
  local d = normalize(desc)
  local s = state()
  local st = { ok = true }
  local function add(section, what, why)
    st[section] = st[section] or {}
    table.insert(st[section], { what = what, ok = why == nil, why = why })
    st.ok = st.ok and why == nil
  end
  for _, name in ipairs(d.namespaces) do
    local ls = exists(name) and s.links(name)
    add("namespaces", "namespace " .. name, not ls and "missing"
      or ls.failed)
  end
  local whys = {
    links = link_why, addresses = addr_why, routes = route_why,
    sysctls = sysctl_why,
  }
  for _, section in ipairs({ "links", "addresses", "routes", "sysctls" }) do
    st[section] = {}
    for _, e in ipairs(d[section]) do
      add(section, label(section, e), whys[section](s, e))
    end
  end
  return st
end

-- Scripts --------------------------------------------------------------

--- topology.ping(ns, address) -> true | nil, message
-- One ping from ns to address, waiting 2 seconds at most, with ping(8)
-- run by netns.exec.
function M.ping(ns, address)
  local how, code = netns.exec(ns, { "ping", "-q", "-c1", "-W2", address })
  if how == "exited" and code == 0 then
    return true
  end
  if how == nil then
    return nil, code
  end
  return nil, ("no answer from %s in %s"):format(address, ns)
end

--- topology.print_status(st [, file]) -> st.ok
-- One line per entry of topology.status: "ok", or "FAIL" and why.
function M.print_status(st, file)
  file = file or io.stdout
  for _, section in ipairs({ "namespaces", "links", "addresses", "routes",
    "sysctls" }) do
    for _, e in ipairs(st[section] or {}) do
      if e.ok then
        file:write("ok    ", e.what, "\n")
      else
        file:write("FAIL  ", e.what, ": ", e.why, "\n")
      end
    end
  end
  return st.ok
end

local USAGE = "usage: netns %s up | down | status"

--- topology.main(desc, command [, verify [, name]]) -> exit status
-- What a topology script does with its first argument: "up" builds desc
-- and then calls verify() (true | nil, message), "down" removes it,
-- "status" prints topology.status. 0 when it holds, 1 when not, 2 for a
-- wrong command. Messages go to stderr, after name (default: the
-- script's path, arg[0]).
function M.main(desc, command, verify, name)
  name = name or (arg and arg[0]) or "topology"
  local ok, msg
  if command == "up" then
    ok, msg = M.up(desc)
    if ok and verify then
      ok, msg = verify()
      msg = msg and "check failed: " .. msg
    end
  elseif command == "down" then
    ok, msg = M.down(desc)
  elseif command == "status" then
    return M.print_status(M.status(desc)) and 0 or 1
  else
    io.stderr:write(USAGE:format(name), "\n")
    return 2
  end
  if not ok then
    io.stderr:write(name, ": ", msg, "\n")
    return 1
  end
  return 0
end

return M
