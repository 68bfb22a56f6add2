-- §19 cases 1-16: list, add, delete (and -all delete).
local x255 = string.rep("x", 255)
local x256 = string.rep("x", 256)
-- 1100 names n0 .. n1099, more than -all delete removes in one call
local ADD_1100 = "i=0; while [ $i -lt 1100 ]; do echo netns add n$i;" ..
  " i=$((i + 1)); done > $T/A; $NS -batch $T/A"

return {
  { name = "case 01: list without run dir", cmd = "$NS list" },
  { name = "case 02: -j list without run dir", cmd = "$NS -j list" },
  {
    name = "case 03: -j list / -j -p list of an empty run dir",
    setup = "mkdir /run/netns",
    cmd = { "$NS -j list", "$NS -j -p list" },
  },
  {
    name = "case 04: add creates a shared run dir and an nsfs mount",
    cmd = { "$NS add a", "$NS list" },
  },
  {
    name = "case 05: add an existing name",
    setup = "$NS add a",
    cmd = "$NS add a",
  },
  {
    name = "case 06: add invalid names",
    cmd = {
      '$NS add ""', "$NS add .", "$NS add ..", "$NS add a/b",
      "$NS add /", "$NS add a/",
    },
  },
  {
    name = "case 07: add a 256-byte name fails, 255 bytes works",
    cmd = {
      "$NS add " .. x256, "$NS list", "$NS add " .. x255, "$NS list",
    },
  },
  { name = "case 08: add without a name", cmd = "$NS add" },
  {
    name = "case 09: add ignores extra words",
    cmd = { "$NS add b extra words", "$NS list" },
  },
  {
    name = "case 10: delete removes the name and its mount",
    setup = "$NS add a",
    cmd = { "$NS delete a", "$NS list" },
  },
  { name = "case 11: delete a missing name", cmd = "$NS delete nosuch" },
  { name = "case 12: delete without a name", cmd = "$NS delete" },
  {
    name = "case 13: delete a directory",
    setup = "mkdir -p /run/netns/d",
    cmd = "$NS delete d",
  },
  {
    name = "case 14: -all delete ignores the name and deletes all",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS -all delete zzz", "$NS list" },
  },
  {
    -- netns removes them in runs of 1024 in one call each
    name = "case 14b: -all delete of 1100 names and a stale file",
    setup = ADD_1100 .. "; touch /run/netns/stale",
    cmd = { "$NS -all delete", "ls -A /run/netns | wc -l",
      "grep -c ' /run/netns/' /proc/self/mountinfo" },
    mounts_by_name = true,
    timeout = 120,
  },
  {
    -- The exit status of -all delete after a failure is a deliberate
    -- difference (tests/cases/differences.lua); here the message and the
    -- effects are compared (d comes first in readdir order, so a stays).
    name = "case 15: -all delete stops at a directory (effects)",
    setup = "$NS add a; mkdir /run/netns/d",
    cmd = { "ls -f /run/netns", "$NS -all delete; true", "$NS list" },
  },
  {
    -- tmpfs lists the newest first: d comes after the 1100 names, which
    -- netns removes in two runs
    name = "case 15b: -all delete of 1100 names stops at a directory",
    setup = "mkdir -p /run/netns/d; " .. ADD_1100,
    cmd = { "ls -f /run/netns | tail -n 1", "$NS -all delete; true",
      "ls -A /run/netns" },
    mounts_by_name = true,
    timeout = 120,
  },
  {
    name = "case 16: -all delete / -all exec without run dir",
    cmd = { "$NS -all delete", "$NS -all exec true" },
  },
}
