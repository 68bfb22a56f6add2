-- §19 cases 57-72: -all exec, pids, identify, attach.
local sleeper = "spawn P $NS exec a sleep 30\nawait_comm $P sleep"

return {
  {
    name = "case 57: -all exec in one namespace",
    setup = "$NS add a",
    cmd = "$NS -all exec echo hi",
  },
  {
    -- The exit status of a failing -all exec is a deliberate difference
    -- (differences.lua); the output is compared here.
    name = "case 58: -all exec of a failing command (output)",
    setup = "$NS add a",
    cmd = "$NS -all exec sh -c 'echo in; exit 3'; echo",
  },
  {
    name = "case 59: -all exec without command",
    setup = "$NS add a",
    cmd = "$NS -all exec",
  },
  {
    name = "case 60: -all exec of a command killed by a signal",
    setup = "$NS add a",
    cmd = "$NS -all exec sh -c 'kill -9 $$'",
  },
  {
    -- (the exit status after a failing command is a deliberate
    -- difference, so the failing ones end with `; true`)
    name = "case 61: -all exec does not check a name",
    setup = "$NS add a",
    cmd = { "$NS -all exec /bin/echo x", "$NS -all exec a/b; true",
      "$NS -all exec ''; true" },
  },
  {
    name = "case 62: pids of a namespace with a process",
    setup = "$NS add a\n" .. sleeper,
    cmd = { "$NS pids a" },
  },
  {
    name = "case 63: pids argument errors",
    cmd = { "$NS pids", "$NS pids a b", "$NS pids nosuch", '$NS pids ""',
      "$NS pids a/b" },
  },
  {
    name = "case 64: identify a pid",
    setup = "$NS add a\n" .. sleeper,
    cmd = { "$NS identify $P" },
  },
  {
    name = "case 65: identify in an unnamed namespace",
    cmd = { "$NS identify", "$NS identify $$" },
  },
  {
    name = "case 66: identify argument errors",
    cmd = { "$NS identify abc", "$NS identify -1", "$NS identify 1 2",
      "$NS identify +5", "$NS identify 12a" },
  },
  {
    name = "case 67: identify a nonexistent pid",
    cmd = { "$NS identify 999999", "$NS identify 0$$" },
  },
  {
    name = "case 68: two names for one namespace",
    setup = "$NS add a\n" .. sleeper .. "\n$NS attach a2 $P",
    cmd = { "$NS list", "$NS identify $P", "$NS exec a2 $NS identify",
      "$NS pids a2" },
    sorted = true,
  },
  {
    name = "case 69: attach a process of the current namespace",
    setup = "spawn P sleep 30\nawait_comm $P sleep",
    cmd = { "$NS attach s $P", "$NS identify $P", "$NS identify",
      "$NS list" },
  },
  {
    name = "case 70: attach argument errors",
    cmd = { "$NS attach x", "$NS attach x abc", "$NS attach x 0",
      "$NS attach", "$NS list" },
  },
  {
    name = "case 71: attach a nonexistent pid",
    cmd = { "$NS attach x 999999", "$NS list" },
  },
  {
    name = "case 72: attach an existing name",
    setup = "$NS add a",
    cmd = "$NS attach a $$",
  },
}
