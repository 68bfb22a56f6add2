-- attach PID forms (§4) and set NETNSID forms (§6).  Pids that cannot
-- exist (pid_max is at most 4194304) are used where the form is the
-- point; our own background sleep where the bind must work.
local sleeper = "spawn P sleep 30\nawait_comm $P sleep"
local undo = "; r=$?; $NS delete x 2>/dev/null; exit $r"

return {
  {
    name = "attach: pid forms that name no process",
    cmd = {
      "$NS attach x 0x5f5e0ff", "$NS attach x 0577360377",
      "$NS attach x +99999999", "$NS attach x ' 99999999'",
      "$NS attach x -5", "$NS attach x 2147483647",
      "$NS attach x -2147483648", "$NS list",
    },
  },
  {
    -- The literal forms of §4; they may name host kernel threads, so each
    -- name is deleted again at once (only the parsing is the point).
    name = "attach: literal forms 0x10, 010, +7, ' 7', -5, self",
    cmd = {
      "$NS attach x 0x10" .. undo, "$NS attach x 010" .. undo,
      "$NS attach x +7" .. undo, "$NS attach x ' 7'" .. undo,
      "$NS attach x -5", "$NS attach x self", "$NS list",
    },
  },
  {
    name = "attach: invalid pid forms",
    cmd = {
      "$NS attach x self", "$NS attach x 2147483648", "$NS attach x ''",
      "$NS attach x '7 '", "$NS attach x 0x", "$NS attach x 08",
      "$NS attach x 1e3", "$NS attach x -0", "$NS attach x 00",
      "$NS attach x 0x0", "$NS attach x -2147483649", "$NS list",
    },
  },
  {
    name = "attach: hex, octal, +, leading blank forms of a real pid",
    setup = sleeper,
    cmd = {
      [[$NS attach h "$(printf 0x%x $P)"]],
      [[$NS attach o "$(printf 0%o $P)"]],
      [[$NS attach p "+$P"]],
      [[$NS attach s " $P"]],
      [[$NS attach t "$(printf '\t')$P"]],
      "$NS attach e $P extra args",
      "$NS identify $P",
      "$NS list",
    },
    sorted = true,
  },
  {
    name = "attach: the current shell names the current namespace",
    cmd = { "$NS attach me $$", "$NS identify", "$NS identify $$",
      "$NS set me 9", "$NS list", "$NS list-id",
      -- into a file: a pipe's other end may or may not be forked yet
      "$NS pids me >$T/pids; wc -l <$T/pids" },
  },
  {
    name = "attach: a process in another named namespace",
    setup = "$NS add a\nspawn P $NS exec a sleep 30\nawait_comm $P sleep",
    cmd = { "$NS attach b $P", "$NS exec b $NS identify", "$NS -n b list",
      "$NS delete a", "$NS exec b $NS identify" },
    sorted = true,
  },
  {
    name = "set: number forms",
    setup = "for n in a b c d e f g; do $NS add $n; done",
    cmd = {
      "$NS set a 010", "$NS set b +8", "$NS set b +9", "$NS set c ' 7'",
      "$NS set d 2147483647", "$NS set e -0", "$NS set f 0X1f",
      "$NS set g auto", "$NS list-id",
    },
  },
  {
    name = "set: invalid number forms",
    setup = "$NS add a",
    cmd = {
      "$NS set a ''", "$NS set a '7 '", "$NS set a 08", "$NS set a 1e3",
      "$NS set a 0x", "$NS set a -2147483648", "$NS set a -2147483649",
      "$NS set a 99999999999", "$NS set a AUTO", "$NS set a au",
      "$NS set a ' -3'", "$NS list",
    },
  },
  {
    name = "set: extra arguments are ignored",
    setup = "$NS add a",
    cmd = { "$NS set a 3 junk more", "$NS list" },
  },
  {
    name = "set: an id for the current namespace via attach",
    cmd = { "$NS attach self $$", "$NS set self auto", "$NS list",
      "$NS -j list-id" },
  },
}
