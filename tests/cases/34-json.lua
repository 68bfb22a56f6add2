-- JSON output of every command that prints, parsed back with jq and
-- checked against the kernel's state.

return {
  {
    name = "json: list and list-id parse and agree with the kernel",
    setup = "$NS add 'j a'; $NS add 'j\"b'; $NS set 'j a' 3",
    cmd = { "$NS -j list | jq -c 'sort_by(.name)'",
      "$NS -j -p list-id | jq -c .",
      "$NS -j list | jq -r '.[].name' | sort | while read -r n; do " ..
        "[ -n \"$($IP netns pids \"$n\" 2>&1; echo x)\" ] && " ..
        "echo \"$n\"; done" },
    expect = {
      { out = '[{"name":"j a","id":3},{"name":"j\\"b"}]\n', err = "", rc = 0 },
      { out = '[{"nsid":3,"name":"j a"}]\n', err = "", rc = 0 },
      { out = "j a\nj\"b\n", err = "", rc = 0 },
    },
  },
  {
    name = "json: identify gives every name, pids every process",
    setup = "$NS add i1; $NS attach i2 $$ 2>/dev/null; " ..
      "$NS exec i1 sleep 30 >/dev/null 2>&1 & echo $! > $T/p; sleep 0.3",
    cmd = { "$NS -j identify $(cat $T/p) | jq -c .",
      "$NS -j pids i1 | jq '.[0].pid' | grep -qx \"$(cat $T/p)\" && echo ok",
      "$NS -j -p identify | jq -r '.[].name'",
      "kill $(cat $T/p); while kill -0 $(cat $T/p) 2>/dev/null; do " ..
        "sleep 0.05; done; $NS -j pids i1" },
    expect = {
      { out = '[{"name":"i1"}]\n', err = "", rc = 0 },
      { out = "ok\n", err = "", rc = 0 },
      { out = "i2\n", err = "", rc = 0 },
      { out = "[]\n", err = "", rc = 0 },
    },
  },
  {
    name = "json: -all exec gives one record per namespace",
    setup = "$NS add x1; $NS add x2; mkdir -p /run/netns; touch /run/netns/p",
    cmd = [[$NS -j -all exec sh -c 'exit 4' | jq -c . | sort]],
    expect = {
      out = '{"name":"p","status":255}\n{"name":"x1","status":4}\n' ..
        '{"name":"x2","status":4}\n',
      err = 'setting the network namespace "p" failed: Invalid argument\n',
      rc = 0,
    },
  },
  {
    name = "json: monitor prints one object a line, nsid events too",
    -- the namespace dies at the unmount, before the unlink: the two
    -- events of a delete may come in either order
    sorted = true,
    cmd = [[
mon_start $T/mon -j monitor nsid
$NS add m; $NS set m 5; await_lines $T/mon 2; $NS delete m
mon_stop 4 | jq -c .]],
    expect = {
      out = '{"deleted":true,"nsid":5,"name":"m"}\n' ..
        '{"event":"add","name":"m"}\n{"event":"delete","name":"m"}\n' ..
        '{"nsid":5,"name":"m"}\n',
      err = "", rc = 0,
    },
  },
  {
    name = "json: monitor nsid in text, as ip monitor nsid prints it",
    sorted = true,
    cmd = [[
mon_start $T/mon monitor nsid
$NS add q; $NS set q auto; await_lines $T/mon 2; $NS delete q
mon_stop 4]],
    expect = {
      out = "Deleted nsid 0 (iproute2 netns name: q)\nadd q\ndelete q\n" ..
        "nsid 0 (iproute2 netns name: q)\n",
      err = "", rc = 0,
    },
  },
  {
    name = "json: every control character is escaped, so jq reads it",
    setup = [[$IP netns add "$(printf 'a\r\001\033b')"]],
    cmd = { "$NS -j list", "$NS -j list | jq -r '.[0].name' | od -An -c" },
    expect = {
      { out = '[{"name":"a\\r\\u0001\\u001bb"}]\n', err = "", rc = 0 },
      { out = "   a  \\r 001 033   b  \\n\n", err = "", rc = 0 },
    },
  },
  {
    name = "json: names with control characters made by other tools",
    setup = "mkdir -p /run/netns; touch \"/run/netns/$(printf 'c\\td\\ne')\"",
    cmd = { "$NS -j list 2>/dev/null | jq -r '.[0].name' | od -c | head -1",
      "$NS delete \"$(printf 'c\\td\\ne')\"; ls /run/netns | wc -l" },
    expect = {
      { out = "0000000   c  \\t   d  \\n   e  \\n\n", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 0 },
    },
  },
  {
    -- iproute2 prints its errors before a list's JSON; list-id's records
    -- go out one by one, each flushed, so a look-up's errors fall between
    name = "json: where errors fall among JSON, a stray entry looked up",
    setup = "$NS add a; $NS set a 4; $NS add b; $NS add c; " ..
      "$NS exec a $NS set b 7; $NS exec a $NS set c 8; " ..
      "touch /run/netns/stray",
    cmd = {
      "$NS -j list-id target-nsid 4 > $T/o 2>&1; echo $?; cat $T/o",
      "$NS -j -p list-id target-nsid 4 > $T/o 2>&1; echo $?; cat $T/o",
      "$NS list-id target-nsid 4 > $T/o 2>&1; echo $?; cat $T/o",
      "$NS -j list > $T/o 2>&1; echo $?; cat $T/o",
      "$NS -j list-id target-nsid 99 > $T/o 2>&1; echo $?; cat $T/o",
    },
  },
}
