-- §13: global options, their prefixes, and their placement.
local sleeper = "spawn P $NS exec a sleep 30\nawait_comm $P sleep"

return {
  {
    name = "option: -a / -al / -all / --all delete",
    setup = "$NS add a; $NS add b; $NS add c; $NS add d",
    cmd = { "$NS -a delete", "$NS list" },
  },
  {
    name = "option: -al delete, --all delete",
    setup = "$NS add a",
    cmd = { "$NS -al delete", "$NS list", "$NS add b", "$NS --all delete",
      "$NS list" },
  },
  {
    name = "option: -all with list, identify, help, no command",
    setup = "$NS add a",
    cmd = { "$NS -all list", "$NS -all", "$NS -all identify",
      "$NS -all help", "$NS -all foo", "$NS -all -j list" },
  },
  {
    name = "option: -j / -js / -json / --json / --j list",
    setup = "$NS add a; $NS set a 2",
    cmd = { "$NS -j list", "$NS -js list", "$NS -json list",
      "$NS --json list", "$NS --j list", "$NS -j -j list" },
  },
  {
    name = "option: -p / -pretty / --pretty, before and after -j",
    setup = "$NS add a; $NS set a 2",
    cmd = { "$NS -j -p list", "$NS -p -j list", "$NS -j -pretty list",
      "$NS --pretty --json list-id", "$NS -p list", "$NS -p list-id",
      "$NS -pr -j list-id nsid 2" },
  },
  {
    name = "option: -b / -ba / -batch / --batch",
    setup = "$NS add a",
    files = { F = "netns list\n" },
    cmd = { "$NS -b $F", "$NS -ba $F", "$NS -batch $F", "$NS --batch $F",
      "$NS -b $F ignored words", "$NS -j -b $F" },
  },
  {
    name = "option: -fo / -force / --force",
    files = { F = "netns delete x\nnetns add y\n" },
    cmd = { "$NS -fo -b $F", "$NS -force -batch $F", "$NS --force -b $F",
      "$NS -b $F -force", "$NS -batch $F -fo" },
  },
  {
    name = "option: -force without -batch has no effect",
    setup = "$NS add a",
    cmd = { "$NS -force list", "$NS -fo add a" },
  },
  {
    name = "option: -batch without a file prints usage",
    cmd = { "$NS -batch", "$NS -force -batch", "$NS -b" },
    err_match = "^Usage:",
  },
  {
    name = "option: -n / -ne / -netns / --netns",
    setup = "$NS add a; $NS add b; $NS set b 4; $NS -n a set b 6",
    cmd = { "$NS -n a identify", "$NS -ne a identify",
      "$NS -netns a identify", "$NS --netns a identify", "$NS -n a list",
      "$NS -n b list-id", "$NS -n a list-id" },
    sorted = true,
  },
  {
    name = "option: -n given twice switches twice",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS -n a -n b identify", "$NS -n b -n a identify",
      "$NS -n a -n nosuch identify" },
  },
  {
    name = "option: -n with exec, pids, -all exec",
    setup = "$NS add a\n" .. sleeper,
    cmd = { "$NS -n a exec a $NS identify",
      "$NS -n a pids a | grep -c -x $P", "$NS -n a pids a | wc -l",
      "$NS -n a -all exec $NS identify", "$NS -n a exec a ls /sys/class/net" },
  },
  {
    name = "option: -n and -batch",
    setup = "$NS add a",
    files = { F = "netns identify\nnetns list\n" },
    cmd = { "$NS -n a -batch $F", "$NS -batch $F" },
  },
  {
    name = "option: -n NAME delete another name",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS -n a delete b", "$NS list" },
  },
  {
    name = "option: -n NAME set in another namespace",
    setup = "$NS add a; $NS add b",
    cmd = { "$NS -n a set b 3", "$NS -n a list-id", "$NS list-id",
      "$NS -n a set b 3", "$NS -n a set a auto", "$NS -n a list-id" },
  },
  {
    name = "option: unknown options",
    cmd = { "$NS -x", "$NS -x list", "$NS -all -x list", "$NS --x",
      "$NS -jx list", "$NS -all- list", "$NS -allx list", "$NS -- -x" },
  },
  {
    name = "option: -- ends the options",
    setup = "$NS add a",
    cmd = { "$NS -- list", "$NS -j -- list", "$NS --", "$NS -- -j list" },
  },
  {
    name = "option: options after the command are arguments",
    setup = "$NS add a; $NS set a 1",
    cmd = { "$NS list -j", "$NS add -all", "$NS list", "$NS delete -all",
      "$NS list", "$NS identify -j", "$NS list-id -j" },
    sorted = true,
  },
}
