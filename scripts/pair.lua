#!/usr/bin/env netns
-- Two network namespaces joined by a veth pair.
--
--   netns scripts/pair.lua up | down | status
--
-- Creates the namespaces pair-a and pair-b (lo up in both), the veth pair
-- pa (in pair-a, 198.51.100.1/24) and pb (in pair-b, 198.51.100.2/24).
-- `up` fails, leaving nothing, when any of it cannot be made, and exits 1
-- when pair-a then gets no answer from pair-b to a ping (the namespaces
-- stay for a look; `down` removes them). `down` deletes pair-a and pair-b.

local topology = require "netns.topology"

local desc = {
  namespaces = { "pair-a", "pair-b" },
  lo = true,
  links = {
    { "veth", "pair-a", "pa", "pair-b", "pb" },
  },
  addresses = {
    { "pair-a", "pa", "198.51.100.1/24" },
    { "pair-b", "pb", "198.51.100.2/24" },
  },
}

local function verify()
  return topology.ping("pair-a", "198.51.100.2")
end

os.exit(topology.main(desc, ..., verify), true)
