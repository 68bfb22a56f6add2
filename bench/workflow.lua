-- bench/workflow.lua: bench/run's scenario 4 through the library.
--
--   netns bench/workflow.lua N [up|down]
--
-- A hub namespace w-hub with a bridge br0, and N leaves w1 .. wN: lo up
-- everywhere, a veth pair from each leaf (eth0, 198.51.100.I/24) to a
-- port of br0 (vI, 203.0.113.I/24), all up. Without up or down the
-- topology is made and then undone, which is what bench/run times.

local netns = require "netns"
local net = require "netns.net"

local count, what = ...
local n = math.tointeger(tonumber(count))
if not n or n < 1 or n > 250 or (what and what ~= "up"
    and what ~= "down") then
  io.stderr:write("usage: netns bench/workflow.lua N [up|down]\n")
  os.exit(2)
end

local HUB = "w-hub"

local function check(ok, msg)
  if not ok then
    error(msg, 2)
  end
  return ok
end

-- The namespaces are made together (netns.add_many, on every CPU);
-- handles (netns.open) keep one socket in each; the port is made in the
-- bridge, as the floor makes it.
local function up()
  local names = { HUB }
  for i = 1, n do
    names[i + 1] = "w" .. i
  end
  check(netns.add_many(names))
  local hub <close> = check(netns.open(HUB))
  check(net.lo_up(hub))
  check(net.bridge(hub, "br0", { up = true }))
  for i = 1, n do
    local name, port = "w" .. i, "v" .. i
    local leaf <close> = check(netns.open(name))
    check(net.lo_up(leaf))
    check(net.veth(hub, port, leaf, "eth0", { up = true, master = "br0" }))
    check(net.addr_add(leaf, "eth0", "198.51.100." .. i .. "/24"))
    check(net.addr_add(hub, port, "203.0.113." .. i .. "/24"))
  end
end

local function down()
  for i = 1, n do
    check(netns.delete("w" .. i))
  end
  check(netns.delete(HUB))
end

if what ~= "down" then
  up()
end
if what ~= "up" then
  down()
end
