#!/usr/bin/env netns
-- A router namespace between two subnets:
--
--   rt-left  l0 ----- r0  rt-router  r1 ----- r0  rt-right
--   198.51.100.1/24   .254      203.0.113.254   203.0.113.1/24
--
--   netns scripts/router.lua up | down | status
--
-- Creates the namespaces rt-left, rt-router and rt-right (lo up in each),
-- the veth pairs l0/r0 and r1/r0, a default route in each side namespace
-- through the router, and turns on net.ipv4.ip_forward in rt-router only.
-- `up` fails, leaving nothing, when any of it cannot be made, and exits 1
-- when a ping from rt-left to rt-right gets no answer (the namespaces
-- stay for a look). `down` deletes the three namespaces.

local topology = require "netns.topology"

local desc = {
  namespaces = { "rt-left", "rt-router", "rt-right" },
  lo = true,
  links = {
    { "veth", "rt-left", "l0", "rt-router", "r0" },
    { "veth", "rt-router", "r1", "rt-right", "r0" },
  },
  addresses = {
    { "rt-left", "l0", "198.51.100.1/24" },
    { "rt-router", "r0", "198.51.100.254/24" },
    { "rt-router", "r1", "203.0.113.254/24" },
    { "rt-right", "r0", "203.0.113.1/24" },
  },
  routes = {
    { "rt-left", "default", via = "198.51.100.254" },
    { "rt-right", "default", via = "203.0.113.254" },
  },
  sysctls = {
    { "rt-router", "net.ipv4.ip_forward", 1 },
  },
}

-- The two subnets meet only in rt-router, so an answer from the far side
-- has crossed it.
local function verify()
  return topology.ping("rt-left", "203.0.113.1")
end

os.exit(topology.main(desc, ..., verify), true)
