-- §19 cases 73-90: monitor, -n, batch, -all add, read-only /run.
-- ip's monitor output is block-buffered into a file, so it runs under
-- `stdbuf -oL` (mon_start); unbuffered output is in differences.lua.
return {
  {
    name = "case 73: monitor add and delete",
    cmd = "mon_start $T/mon\n$NS add m; $NS delete m\nmon_stop 2",
  },
  {
    name = "case 74: monitor plain files, no rename events",
    setup = "mkdir -p /run/netns; touch /run/netns/g",
    cmd = "mon_start $T/mon\n" ..
      "touch /run/netns/f; rm /run/netns/f; mv /run/netns/g /run/netns/h\n" ..
      "mkdir /run/netns/end\nmon_stop 3",
  },
  {
    name = "case 75: exec sees only lo",
    setup = "$NS add a",
    cmd = { "$NS exec a ip -o link", "$NS -n a exec a ip -o link" },
  },
  {
    name = "case 76: -n with a missing namespace / without a name",
    cmd = { "$NS -n nosuch list", "$NS -n", "$NS -n nosuch",
      "$NS -n nosuch foo" },
  },
  {
    name = "case 77: -n NAME identify",
    setup = "$NS add a",
    cmd = { "$NS -n a identify", "$NS -n a list", "$NS -netns a identify" },
  },
  {
    name = "case 78: batch stops at a failing exec",
    files = {
      F = 'netns add b\nnetns exec b sh -c "exit 4"\nnetns list\n',
    },
    cmd = { "$NS -batch $F", "$NS list" },
  },
  {
    name = "case 79: -force batch continues after failures",
    setup = "$NS add b",
    files = {
      F = 'netns add b\nnetns exec b sh -c "exit 4"\nnetns list\n',
    },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "case 80: batch invalid name ends the batch even with -force",
    files = { F = "netns add bad/name\nnetns list\nnetns add c\n" },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "case 81: batch continuation line numbers",
    files = {
      F = "netns list-id \\\n nsid 77\nnetns list-id nsid 78\n",
    },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "case 82: batch file that cannot be opened",
    cmd = { "$NS -batch nosuchfile", "$NS -batch /nonexistent/dir/f" },
  },
  {
    name = "case 83: batch from stdin",
    files = { F = "netns add c\nnetns identify\n" },
    cmd = { '$NS -batch - < "$F"', "$NS list" },
  },
  {
    name = "case 84: batch quote handling",
    setup = "$NS add x",
    files = { F = "netns exec x sh -c 'echo \"a b\"'\n" },
    cmd = "$NS -batch $F",
  },
  {
    name = "case 85: batch unterminated quote",
    setup = "$NS add x",
    files = { F = 'netns add y\nnetns exec x sh -c "echo open\nnetns add z\n' },
    cmd = { "$NS -force -batch $F", "$NS list" },
    sorted = true,
  },
  {
    name = "case 86: -j batch prints one array per command",
    setup = "$NS add a; $NS set a 1",
    files = { F = "netns list\nnetns list-id\nnetns list-id nsid 1\n" },
    cmd = { "$NS -j -batch $F", "$NS -j -p -batch $F" },
  },
  -- case 87, -all add a/b: a difference (differences.lua)
  {
    name = "case 88: identify an empty name",
    cmd = '$NS identify ""',
  },
  {
    -- ip leaves an empty placeholder; netns makes a working namespace
    -- (differences.lua).  Only the status of -n a add is compared here.
    name = "case 89: -n NAME add (status only)",
    setup = "$NS add a",
    cmd = "$NS -n a add c",
    skip_effects = true,
  },
  {
    name = "case 90: read-only /run",
    setup = "mount -t tmpfs -o ro tmpfs /run",
    cmd = { "$NS add x", "timeout 5 $NS monitor", "$NS list",
      "$NS -all delete", "$NS attach x $$" },
  },
}
