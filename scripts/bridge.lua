#!/usr/bin/env netns
-- A bridge in a hub namespace with N namespaces attached:
--
--   br-1 eth0 --- p1 \
--   br-2 eth0 --- p2 -- br0 (in br-hub)
--   ...           pN /
--
--   netns scripts/bridge.lua up [N] | down [N] | status [N]
--
-- Creates the namespaces br-hub and br-1 ... br-N (N from 1 to 250,
-- default 3; lo up in each), the bridge br0 in br-hub and one veth pair
-- per leaf: eth0 in br-I with 192.0.2.I/24, pI in br-hub as a port of
-- br0. `up` fails, leaving nothing, when any of it cannot be made, and
-- exits 1 when br-1 gets no answer from every other leaf (the namespaces
-- stay for a look). Without N, `down` and `status` take as many leaves as
-- there are br-I names in a row from br-1, and at least 3.

local topology = require "netns.topology"
local netns = require "netns"

local command, count = ...
if command ~= "up" and command ~= "down" and command ~= "status" then
  io.stderr:write("usage: netns ", arg[0], " up | down | status [N]\n")
  os.exit(2)
end

local function leaves()
  if count then
    local n = math.tointeger(tonumber(count))
    if not n or n < 1 or n > 250 then
      io.stderr:write(arg[0], ": N must be a number from 1 to 250\n")
      os.exit(2)
    end
    return n
  end
  local n = 3
  if command ~= "up" then
    local names = {}
    for _, e in ipairs(netns.list() or {}) do
      names[e.name] = true
    end
    while names["br-" .. (n + 1)] do
      n = n + 1
    end
  end
  return n
end

local n = leaves()
local desc = {
  namespaces = { "br-hub" },
  lo = true,
  links = { { "bridge", "br-hub", "br0" } },
  addresses = {},
}
for i = 1, n do
  local leaf = "br-" .. i
  table.insert(desc.namespaces, leaf)
  table.insert(desc.links, { "veth", leaf, "eth0", "br-hub", "p" .. i,
    peer_master = "br0" })
  table.insert(desc.addresses, { leaf, "eth0", "192.0.2." .. i .. "/24" })
end

local function verify()
  for i = 2, n do
    local ok, msg = topology.ping("br-1", "192.0.2." .. i)
    if not ok then
      return nil, msg
    end
  end
  return true
end

os.exit(topology.main(desc, command, verify), true)
