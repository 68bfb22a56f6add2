-- Deliberate differences from ip 6.1 (§18).  These cases run only the
-- binary under test and are checked against their own expected values
-- (`expect`: out/err/rc of the last command, or a list per command) and
-- `check` (shell, run after the commands, must exit 0).
local USAGE = table.concat({
  "Usage:\tnetns list",
  "\tnetns add NAME",
  "\tnetns attach NAME PID",
  "\tnetns set NAME NETNSID",
  "\tnetns [-all] delete [NAME]",
  "\tnetns identify [PID]",
  "\tnetns pids NAME",
  "\tnetns [-all] exec [NAME] cmd ...",
  "\tnetns monitor",
  "\tnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]",
  "NETNSID := auto | POSITIVE-INT",
}, "\n") .. "\n"

local SETNS_P = 'setting the network namespace "p" failed: Invalid argument\n'
local NOSUCH = 'Cannot open network namespace "nosuch": ' ..
  "No such file or directory\n"
local three = "$NS add a; $NS add b; $NS set a 1; $NS set b 2; " ..
  "$NS -n a set b 12"
local function is_nsfs(name)
  return "grep -q ' /run/netns/" .. name .. " .* - nsfs ' " ..
    "/proc/self/mountinfo"
end

return {
  -- -all exec: a namespace that cannot be entered ------------------------
  {
    name = "difference: -all exec skips an unenterable entry once",
    setup = "$NS add a; mkdir -p /run/netns; touch /run/netns/p; $NS add b",
    cmd = [[$NS -all exec sh -c 'echo run-$(ip netns identify)']],
    sorted = true,
    expect = {
      out = "\n\n\nnetns: a\nnetns: b\nnetns: p\nrun-a\nrun-b\n",
      err = SETNS_P,
      rc = 1,
    },
    check = [==[[ "$(grep -c '^run-' "$T/out.1")" = 2 ] &&
      [ "$(grep -c '^netns: ' "$T/out.1")" = 3 ]]==],
  },
  {
    name = "difference: -all exec, unenterable entry first and last",
    setup = "mkdir -p /run/netns; touch /run/netns/p; $NS add a; $NS add b",
    cmd = { "$NS -all exec echo x",
      "mv /run/netns/p /run/netns/p2; touch /run/netns/p; rm /run/netns/p2",
      "$NS -all exec echo x" },
    sorted = true,
    expect = {
      { out = "\n\n\nnetns: a\nnetns: b\nnetns: p\nx\nx\n", err = SETNS_P,
        rc = 1 },
      false,
      { out = "\n\n\nnetns: a\nnetns: b\nnetns: p\nx\nx\n", err = SETNS_P,
        rc = 1 },
    },
  },
  {
    name = "difference: -all exec exits 1 when a command fails",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS -all exec sh -c 'exit 3'", "$NS -all exec true",
      [[$NS -all exec sh -c '[ "$(ip netns identify)" = a ] || exit 5']],
      "$NS -all exec nosuchcmd" },
    sorted = true,
    expect = {
      { out = "\n\nnetns: a\nnetns: b\n", err = "", rc = 1 },
      { out = "\n\nnetns: a\nnetns: b\n", err = "", rc = 0 },
      { out = "\n\nnetns: a\nnetns: b\n", err = "", rc = 1 },
      {
        out = "\n\nnetns: a\nnetns: b\n",
        err = 'exec of "nosuchcmd" failed: No such file or directory\n' ..
          'exec of "nosuchcmd" failed: No such file or directory\n',
        rc = 1,
      },
    },
  },
  {
    name = "difference: -all exec true in one namespace exits 0",
    setup = "$NS add a",
    cmd = "$NS -all exec true",
    expect = { out = "\nnetns: a\n", err = "", rc = 0 },
  },

  -- -all delete -----------------------------------------------------------
  {
    name = "difference: -all delete exits 1 at a directory (first)",
    setup = "$NS add a; mkdir /run/netns/d",
    cmd = "$NS -all delete",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/d": Is a directory\n',
      rc = 1,
    },
    check = "[ -d /run/netns/d ] && " .. is_nsfs("a"),
  },
  {
    name = "difference: -all delete exits 1 at a directory (last)",
    setup = "mkdir -p /run/netns/d; $NS add a",
    cmd = "$NS -all delete",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/d": Is a directory\n',
      rc = 1,
    },
    check = "[ -d /run/netns/d ] && [ ! -e /run/netns/a ] && " ..
      "! grep -q ' /run/netns/a ' /proc/self/mountinfo",
  },
  {
    name = "difference: -all delete stops at the first failure",
    setup = "$NS add a; mkdir /run/netns/d; $NS add b; mkdir /run/netns/e",
    cmd = "$NS -all delete",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/e": Is a directory\n',
      rc = 1,
    },
    check = "[ -d /run/netns/d ] && [ -d /run/netns/e ] && " ..
      is_nsfs("a") .. " && " .. is_nsfs("b"),
  },
  {
    name = "difference: delete of a mounted directory leaves its mount",
    setup = "$NS add a; mkdir /run/netns/d; mount -n -t tmpfs t /run/netns/d",
    cmd = "$NS delete d",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/d": Is a directory\n',
      rc = 1,
    },
    check = "mountpoint -q /run/netns/d",
  },
  {
    name = "difference: delete in a read-only run directory keeps the name",
    setup = "$NS add a; mount -n -o remount,bind,ro /run/netns",
    cmd = "$NS delete a",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/a": ' ..
        "Read-only file system\n",
      rc = 1,
    },
    check = is_nsfs("a"),
  },
  {
    -- delete lines in a row are removed in one call, which must not
    -- unmount anything there either
    name = "difference: delete lines in a row in a read-only run directory"
      .. " keep every name",
    setup = "$NS add a; $NS add b; $NS add c;" ..
      " mount -n -o remount,bind,ro /run/netns",
    files = { F = "delete a\ndelete b\ndelete c\n" },
    cmd = "$NS -force -batch $F",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/a": ' ..
        "Read-only file system\nCommand failed $T/F:1\n" ..
        'Cannot remove namespace file "/run/netns/b": ' ..
        "Read-only file system\nCommand failed $T/F:2\n" ..
        'Cannot remove namespace file "/run/netns/c": ' ..
        "Read-only file system\nCommand failed $T/F:3\n",
      rc = 1,
    },
    check = is_nsfs("a") .. " && " .. is_nsfs("b") .. " && " .. is_nsfs("c"),
  },
  {
    -- the kernel refuses to unlink there (EPERM), and a run of delete
    -- lines, or -all delete, must not unmount before it asks
    name = "difference: delete lines in a row and -all delete keep every" ..
      " name in an immutable or append-only run directory",
    setup = "$NS add a; $NS add b",
    files = { F = "delete a\ndelete b\n" },
    cmd = { "chattr +i /run/netns; $NS -force -batch $F",
      "$NS -all delete", "chattr -i /run/netns",
      "chattr +a /run/netns; $NS -force -batch $F; chattr -a /run/netns" },
    expect = {
      { out = "", rc = 1,
        err = 'Cannot remove namespace file "/run/netns/a": ' ..
          "Operation not permitted\nCommand failed $T/F:1\n" ..
          'Cannot remove namespace file "/run/netns/b": ' ..
          "Operation not permitted\nCommand failed $T/F:2\n" },
      { out = "", rc = 1,
        err = 'Cannot remove namespace file "/run/netns/b": ' ..
          "Operation not permitted\n" },
      { out = "", err = "", rc = 0 },
      { out = "", rc = 0,
        err = 'Cannot remove namespace file "/run/netns/a": ' ..
          "Operation not permitted\nCommand failed $T/F:1\n" ..
          'Cannot remove namespace file "/run/netns/b": ' ..
          "Operation not permitted\nCommand failed $T/F:2\n" },
    },
    check = is_nsfs("a") .. " && " .. is_nsfs("b"),
  },
  {
    -- without CAP_DAC_OVERRIDE, root may not write a run directory of
    -- mode 555 (EACCES)
    name = "difference: delete lines in a row keep every name in a run" ..
      " directory the caller may not write",
    setup = "$NS add a; $NS add b; chmod 555 /run/netns",
    files = { F = "delete a\ndelete b\n" },
    cmd = "setpriv --bounding-set -dac_override,-dac_read_search,-fowner" ..
      " -- $NS -force -batch $F; chmod 755 /run/netns",
    expect = { out = "", rc = 0,
      err = 'Cannot remove namespace file "/run/netns/a": ' ..
        "Permission denied\nCommand failed $T/F:1\n" ..
        'Cannot remove namespace file "/run/netns/b": ' ..
        "Permission denied\nCommand failed $T/F:2\n" },
    check = is_nsfs("a") .. " && " .. is_nsfs("b"),
  },
  {
    name = "difference: delete lines in a row leave a mounted directory",
    setup = "$NS add a; $NS add b; mkdir /run/netns/d;" ..
      " mount -n -t tmpfs t /run/netns/d",
    files = { F = "delete a\ndelete d\ndelete b\n" },
    cmd = "$NS -force -batch $F",
    expect = {
      out = "",
      err = 'Cannot remove namespace file "/run/netns/d": Is a directory\n' ..
        "Command failed $T/F:2\n",
      rc = 1,
    },
    check = "mountpoint -q /run/netns/d && [ ! -e /run/netns/a ] && " ..
      "[ ! -e /run/netns/b ]",
  },
  {
    name = "difference: delete lines in a row remove a name with two mounts",
    setup = "$NS add a; $NS add b; $NS add c;" ..
      " mount --bind /run/netns/a /run/netns/b",
    files = { F = "delete a\ndelete b\ndelete c\n" },
    cmd = { "$NS -batch $F", "ls -A /run/netns" },
    expect = { { out = "", err = "", rc = 0 }, { out = "", rc = 0 } },
    check = "! grep -q ' /run/netns/' /proc/self/mountinfo",
  },
  {
    name = "difference: -all delete without failure exits 0",
    setup = "$NS add a; $NS add b; touch /run/netns/p",
    cmd = { "$NS -all delete", "ls -A /run/netns" },
    expect = { { out = "", err = "", rc = 0 }, { out = "", rc = 0 } },
    check = "! grep -q ' /run/netns/' /proc/self/mountinfo",
  },

  -- monitor is flushed per line -------------------------------------------
  {
    name = "difference: monitor into a file is flushed per line",
    cmd = [[
$NS monitor >"$T/mon" 2>&1 &
M=$!
await_inotify $M || echo "monitor did not start"
$NS add m; $NS delete m
await_lines "$T/mon" 2
cp "$T/mon" "$T/seen"
{ kill $M; wait $M; } 2>/dev/null
cat "$T/seen"]],
    expect = { out = "add m\ndelete m\n", err = "", rc = 0 },
  },
  {
    name = "difference: monitor into a pipe is flushed per line",
    cmd = [[
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/mon" &
C=$!
$NS monitor >"$T/fifo" &
M=$!
await_inotify $M || echo "monitor did not start"
$NS add m; $NS delete m; mkdir /run/netns/d
await_lines "$T/mon" 3
cp "$T/mon" "$T/seen"
{ kill $M; wait $M; wait $C; } 2>/dev/null
cat "$T/seen"]],
    expect = { out = "add m\ndelete m\nadd d\n", err = "", rc = 0 },
  },

  -- -n X add Y makes a working namespace -----------------------------------
  {
    name = "difference: -n X add Y makes a working namespace",
    setup = "$NS add a",
    cmd = { "$NS -n a add c", "$NS exec c true", "$NS list",
      "$NS exec c ip netns identify", "$NS -n c identify" },
    sorted = true,
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "a\nc\n", err = "", rc = 0 },
      { out = "c\n", err = "", rc = 0 },
      { out = "c\n", err = "", rc = 0 },
    },
    check = is_nsfs("c") .. [==[ &&
      c=$($NS exec c readlink /proc/self/ns/net) &&
      a=$($NS exec a readlink /proc/self/ns/net) &&
      [ -n "$c" ] && [ "$c" != "$a" ] &&
      [ "$c" != "$(readlink /proc/self/ns/net)" ]]==],
  },
  {
    name = "difference: -n X add Y then set and delete from the host",
    setup = "$NS add a; $NS -n a add c",
    cmd = { "$NS set c 5", "$NS list-id", "$NS delete c", "$NS list" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "nsid 5 (iproute2 netns name: c)\n", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "a\n", err = "", rc = 0 },
    },
    check = "! grep -q ' /run/netns/c ' /proc/self/mountinfo",
  },

  -- batch exec into a namespace that cannot be entered -----------------
  {
    name = "difference: batch exec into an unknown namespace, -force",
    files = { F = "netns exec nosuch true\nnetns add z\nnetns list\n" },
    cmd = "$NS -force -batch $F",
    expect = {
      out = "z\n",
      err = NOSUCH .. "Command failed $T/F:1\n",
      rc = 1,
    },
    check = is_nsfs("z"),
  },
  {
    name = "difference: batch exec into an unknown namespace stops",
    files = { F = "netns exec nosuch true\nnetns add z\nnetns list\n" },
    cmd = "$NS -batch $F",
    expect = {
      out = "",
      err = NOSUCH .. "Command failed $T/F:1\n",
      rc = 1,
    },
    check = "[ ! -e /run/netns/z ]",
  },
  {
    name = "difference: batch exec into a plain file, -force",
    setup = "mkdir -p /run/netns; touch /run/netns/p",
    files = { F = "netns exec p true\nnetns identify\nnetns exec p true\n" },
    cmd = "$NS -force -batch $F",
    expect = {
      out = "\n",
      err = SETNS_P .. "Command failed $T/F:1\n" ..
        SETNS_P .. "Command failed $T/F:3\n",
      rc = 1,
    },
  },

  -- batch list-id honours target-nsid -------------------------------------
  {
    name = "difference: batch list-id target-nsid shows the target table",
    setup = three,
    files = {
      F = "netns list-id target-nsid 1\n",
      G = "netns list-id target-nsid 2\n",
    },
    cmd = { "$NS -batch $F", "$NS list-id target-nsid 1", "$NS -j -batch $F",
      "$NS -batch $G" },
    expect = {
      { out = "nsid 12 current-nsid 2 (iproute2 netns name: b)\n", err = "",
        rc = 0 },
      { out = "nsid 12 current-nsid 2 (iproute2 netns name: b)\n", err = "",
        rc = 0 },
      { out = '[{"nsid":12,"current-nsid":2,"name":"b"}]\n', err = "",
        rc = 0 },
      { out = "", err = "", rc = 0 },
    },
  },

  -- -j / -json is accepted by every command ------------------------------
  {
    name = "difference: -j on every command; JSON where netns has it",
    cmd = {
      "$NS -j add a", "$NS -json attach b $$", "$NS -j set a 3",
      "$NS -j identify", "$NS -j pids a", "$NS -j exec a echo hi",
      "$NS -j -all exec echo x", "$NS -j help", "$NS -j foo",
      "$NS -j delete b", "$NS -j delete nosuch", "$NS -j add",
      "mon_start $T/mon -j monitor\n$NS add m\nmon_stop 1",
      "$NS -j -all delete", "$NS -j list",
    },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = '[{"name":"b"}]\n', err = "", rc = 0 },
      { out = "[]\n", err = "", rc = 0 },
      { out = "hi\n", err = "", rc = 0 },
      { out = 'x\n{"name":"b","status":0}\nx\n{"name":"a","status":0}\n',
        err = "", rc = 0 },
      { out = "", err = USAGE, rc = 255 },
      { out = "", err = 'Command "foo" is unknown, try "netns help".\n',
        rc = 255 },
      { out = "", err = "", rc = 0 },
      { out = "", err = 'Cannot remove namespace file "/run/netns/nosuch": ' ..
        "No such file or directory\n", rc = 1 },
      { out = "", err = "No netns name specified\n", rc = 1 },
      { out = '{"event":"add","name":"m"}\n', err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "[]\n", err = "", rc = 0 },
    },
  },

  -- names with control characters -----------------------------------------
  {
    name = "difference: add and attach refuse control characters",
    cmd = { [[$NS add "$(printf 'a\tb')"]], [[$NS add "$(printf 'a\nb')"]],
      [[$NS attach "$(printf 'c\033')" $$]],
      "ls /run/netns 2>/dev/null | wc -l" },
    expect = {
      { out = "", err = 'Invalid netns name "a\\x09b": control characters ' ..
        "are not allowed\n", rc = 255 },
      { out = "", err = 'Invalid netns name "a\\x0ab": control characters ' ..
        "are not allowed\n", rc = 255 },
      { out = "", err = 'Invalid netns name "c\\x1b": control characters ' ..
        "are not allowed\n", rc = 255 },
      { out = "0\n", err = "", rc = 0 },
    },
  },

  -- -n enters the network namespace only -----------------------------------
  {
    name = "difference: -n NAME does not bind /etc/netns/NAME",
    setup = "$NS add a; mkdir -p /etc/netns/a\n" ..
      "echo 'nameserver 192.0.2.1' > /etc/netns/a/resolv.conf\n" ..
      "echo x > /etc/netns/a/nonexistent-in-etc",
    cmd = { "$NS -n a identify", "$NS -n a list",
      "$NS -n a exec a cat /etc/resolv.conf" },
    expect = {
      { out = "a\n", err = "", rc = 0 },
      { out = "a\n", err = "", rc = 0 },
      { out = "nameserver 192.0.2.1\n",
        err = "Bind /etc/netns/a/nonexistent-in-etc -> " ..
          "/etc/nonexistent-in-etc failed: No such file or directory\n",
        rc = 0 },
    },
  },

  -- delete never unmounts through a symbolic link -------------------------
  {
    name = "difference: delete of a symlink leaves its target mounted",
    setup = "$NS add a; ln -s /run/netns/a /run/netns/link",
    cmd = { "$NS delete link", "$NS exec a $NS identify", "$NS list" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "a\n", err = "", rc = 0 },
      { out = "a\n", err = "", rc = 0 },
    },
    check = is_nsfs("a"),
  },
  {
    -- lines in a row unmount before they unlink when the run directory
    -- holds no directory: never through the link either
    name = "difference: delete lines in a row leave a symlink's target",
    setup = "$NS add a; $NS add b; ln -s /run/netns/a /run/netns/link",
    files = { F = "delete b\ndelete link\n" },
    cmd = { "$NS -batch $F", "$NS list" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "a\n", err = "", rc = 0 },
    },
    check = is_nsfs("a"),
  },
  {
    name = "difference: delete removes a name with two mounts on it",
    setup = "$NS add a; mount --bind /run/netns/a /run/netns/a",
    cmd = { "$NS delete a", "ls /run/netns | wc -l" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 0 },
    },
    check = "! grep -q ' /run/netns/a ' /proc/self/mountinfo",
  },

  {
    -- no cap on the mounts undone, alone or in a batch, so the two agree
    name = "difference: delete removes a name with 1100 mounts stacked," ..
      " alone and in a batch",
    setup = "$NS add a; $NS add b; $NS add c; touch $T/f; " ..
      "for n in a b; do i=0; while [ $i -lt 1100 ]; do " ..
      "mount -n --bind $T/f /run/netns/$n || exit 1; i=$((i + 1)); " ..
      "done; done",
    files = { F = "delete b\ndelete c\n" },
    cmd = { "$NS delete a", "$NS -batch $F", "ls -A /run/netns | wc -l" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 0 },
    },
    check = "! grep -q ' /run/netns/' /proc/self/mountinfo",
    timeout = 120,
  },

  -- each list-id of a batch finds its names anew ----------------------------
  {
    name = "difference: batch list-id keeps the names already printed",
    setup = three,
    files = {
      F = "netns list-id\nnetns list-id target-nsid 1 nsid 2\n" ..
        "netns list-id nsid 1\nnetns list-id nsid 2\n",
    },
    cmd = "$NS -batch $F",
    expect = {
      out = "nsid 1 (iproute2 netns name: a)\n" ..
        "nsid 2 (iproute2 netns name: b)\n" ..
        "nsid 12 current-nsid 2 (iproute2 netns name: b)\n" ..
        "nsid 1 (iproute2 netns name: a)\n" ..
        "nsid 2 (iproute2 netns name: b)\n",
      err = "", rc = 0,
    },
  },

  -- add and attach check names under -all too --------------------------
  {
    name = "difference: -all add and attach check the name (case 87)",
    cmd = { "$NS -all add a/b", '$NS -all add ""', "$NS -all add ..",
      "$NS -all add ../x", "$NS -all attach a/b $$",
      "$NS -all add " .. string.rep("y", 256) .. " 2>&1 | cut -c1-24",
      "ls -a /run/netns 2>&1; ls /run | grep -c x" },
    expect = {
      { out = "", err = 'Invalid netns name "a/b"\n', rc = 255 },
      { out = "", err = 'Invalid netns name ""\n', rc = 255 },
      { out = "", err = 'Invalid netns name ".."\n', rc = 255 },
      { out = "", err = 'Invalid netns name "../x"\n', rc = 255 },
      { out = "", err = 'Invalid netns name "a/b"\n', rc = 255 },
      { out = 'Invalid netns name "yyyy\n', err = "", rc = 0 },
      { out = "ls: cannot access '/run/netns': No such file or " ..
        "directory\n0\n", err = "", rc = 1 },
    },
  },
}
