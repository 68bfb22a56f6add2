-- §13.3-13.5: batch file syntax and status.
local many = "netns exec a true" .. string.rep(" x", 507) .. "\n"
local toomany = "netns exec a true" .. string.rep(" x", 508) .. "\n"

-- Add lines in a row, which netns makes together: 150 of them (more than
-- one run of 64), a name given twice at line 100, a delete between.
local adds = {}
for i = 1, 150 do
  adds[i] = i == 100 and "netns add r7\n" or ("netns add r%d\n"):format(i)
end
adds[120] = "netns delete r3\n"
adds = table.concat(adds)
-- Delete lines in a row: a name that is not there, and a directory.
local deletes = {}
for i = 1, 90 do
  deletes[i] = ("netns delete r%d\n"):format(i)
end
deletes[30] = "netns delete nosuch\n"
deletes[60] = "netns delete dir\n"
deletes = table.concat(deletes)
local limited = {}
for i = 1, 12 do
  limited[i] = ("netns add u%d\n"):format(i)
end
limited = table.concat(limited)
-- distinct namespaces, none of them the caller's
local DISTINCT = "stat -L -c %i /run/netns/* /proc/self/ns/net | sort -u" ..
  " | wc -l"

return {
  {
    -- iproute2 flushes list-id's lines and each JSON document: with both
    -- streams into one file, they come before a later line's error
    name = "batch: list-id and JSON output precede later errors",
    setup = "$NS add o1; $NS set o1 4",
    files = {
      F = "netns list\nnetns list-id\nnetns delete nosuch\n" ..
        "netns list-id nsid 4\nnetns delete nosuch\n" ..
        "netns list-id nsid 9\nnetns list\nnetns delete nosuch\n",
    },
    cmd = { "$NS -force -batch $F > $T/out 2>&1; echo $?; cat $T/out",
      "$NS -j -force -batch $F > $T/out 2>&1; echo $?; cat $T/out",
      "$NS -j -p -force -batch $F > $T/out 2>&1; echo $?; cat $T/out" },
  },
  {
    name = "batch: comments",
    setup = "$NS add a",
    files = {
      F = "# a comment line\nnetns list # trailing comment\n" ..
        "   # indented comment\nnetns add b#glued comment\n#\n" ..
        "netns exec a echo x#y\nnetns list-id # \\\nnetns list\n",
    },
    cmd = { "$NS -batch $F", "$NS list" },
    sorted = true,
  },
  {
    name = "batch: # inside quotes still starts a comment",
    setup = "$NS add a",
    files = { F = "netns exec a echo 'b#c'\nnetns add z\n" },
    cmd = { "$NS -batch $F", "$NS list" },
  },
  {
    name = "batch: backslash continuation",
    setup = "$NS add a",
    files = {
      F = "netns \\\nexec \\\na \\\necho joined\n" ..
        "netns exec a echo one\\\ntwo\n" ..
        "netns exec a echo x \\\n# comment \\\nnetns list\n" ..
        "netns delete nosuch \\\n\n" ..
        "netns exec a echo after\n",
    },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "batch: missing continuation line at EOF",
    setup = "$NS add a",
    files = {
      F = "netns list\nnetns list \\",
      G = "netns list\nnetns list \\\n",
      H = "netns delete nosuch\nnetns list \\",
      I = "netns exec a echo x \\\n\\",
    },
    cmd = { "$NS -batch $F", "$NS -batch $G", "$NS -force -batch $H",
      "$NS -batch $I" },
  },
  {
    name = "batch: blank lines and line numbers",
    setup = "$NS add a",
    files = {
      F = "\n\n   \n\t\nnetns list\n\nnetns delete nosuch\n\n" ..
        "netns delete nosuch2\n \n",
    },
    cmd = { "$NS -batch $F", "$NS -force -batch $F" },
  },
  {
    name = "batch: empty file / only comments / no newline at end",
    setup = "$NS add a",
    files = { E = "", C = "# x\n\n#y", N = "netns list" },
    cmd = { "$NS -batch $E", "$NS -batch $C", "$NS -batch $N" },
  },
  {
    name = "batch: CR LF line ends and tabs",
    setup = "$NS add a",
    files = { F = "netns\tlist\r\nnetns exec a echo x\r\n\r\nnetns  list\n" },
    cmd = "$NS -batch $F",
  },
  {
    name = "batch: quotes",
    setup = "$NS add a",
    files = {
      F = [[netns exec a echo "x  y" 'p"q' "a'b"]] .. "\n" ..
        [[netns exec a echo ab"cd" 'e f'g "" '']] .. "\n" ..
        [[netns exec a sh -c "echo \$0 \$1" zero one]] .. "\n" ..
        [[netns add "sp ace"]] .. "\n" ..
        [[netns exec 'sp ace' echo in]] .. "\n" ..
        [[netns exec a printf '[%s]\n' "a]] .. "\t" .. [[tab"]] .. "\n",
    },
    cmd = { "$NS -batch $F", "$NS list" },
    sorted = true,
  },
  {
    name = "batch: unterminated single quote",
    setup = "$NS add a",
    files = { F = "netns list\nnetns exec a echo 'open\nnetns list\n" },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "batch: 511 words pass, 512 words are too many",
    setup = "$NS add a",
    files = { F = many, G = toomany .. "netns list\n" },
    cmd = { "$NS -batch $F", "$NS -force -batch $G" },
  },
  {
    name = "batch: lines that exit end the batch even with -force",
    setup = "$NS add a",
    files = {
      H = "netns list\nnetns help\nnetns list\n",
      U = "netns list\nnetns foo\nnetns list\n",
      S = "netns list\nnetns set a abc\nnetns list\n",
      D = "netns list\nnetns list-id nsid 1 nsid 2\nnetns list\n",
      I = "netns list\nnetns list-id target-nsid\nnetns list\n",
      L = "netns list\nnetns list-id foo\nnetns list\n",
    },
    cmd = { "$NS -force -batch $H", "$NS -force -batch $U",
      "$NS -force -batch $S", "$NS -force -batch $D",
      "$NS -force -batch $I", "$NS -force -batch $L" },
  },
  {
    name = "batch: failing lines with and without -force",
    setup = "$NS add a",
    files = {
      F = "netns add a\nnetns delete nosuch\nnetns set nosuch 1\n" ..
        "netns add\nnetns pids a b\nnetns identify abc\n" ..
        "netns attach x 0\nnetns exec a false\nnetns list-id nsid 5\n" ..
        "netns set a 1\nnetns set a 2\nnetns list\n",
    },
    cmd = { "$NS -batch $F", "$NS -force -batch $F" },
  },
  {
    name = "batch: exec statuses and a child killed by a signal",
    setup = "$NS add a",
    files = {
      F = "netns exec a sh -c 'exit 7'\nnetns exec a sh -c 'exit 300'\n" ..
        "netns exec a true\nnetns exec a nosuchcmd\n" ..
        "netns exec a sh -c 'echo $$ >/dev/null; kill -TERM $$'\n" ..
        "netns list\n",
    },
    cmd = "$NS -force -batch $F",
  },
  {
    name = "batch: add and exec do not move later lines",
    setup = "$NS add a",
    files = {
      F = "netns add b\nnetns identify\nnetns exec a $NS identify\n" ..
        "netns identify\nnetns exec b ls /sys/class/net\nnetns pids b\n",
    },
    cmd = { [[sed "s|\$NS|$NS|" "$F" > "$T/G"; $NS -batch "$T/G"]] },
  },
  {
    name = "batch: -all from the command line applies to every line",
    setup = "$NS add a",
    files = { F = "netns exec echo x\nnetns identify a/b\nnetns delete\n" },
    cmd = { "$NS -all -force -batch $F", "$NS list" },
  },
  {
    name = "batch: a bare netns line lists",
    setup = "$NS add a",
    files = { F = "netns\nnetns list\n" },
    cmd = "$NS -batch $F",
  },
  {
    name = "batch: -all delete and -all exec in a batch",
    setup = "$NS add a",
    files = { F = "netns exec echo one\nnetns delete\nnetns list\n" },
    cmd = { "$NS -all -batch $F", "$NS list" },
  },
  {
    name = "batch: monitor line runs until killed",
    setup = "$NS add a",
    files = { F = "netns list\nnetns monitor\n" },
    cmd = "mon_start $T/mon -batch $F\n$NS add m\nmon_stop 2",
  },
  {
    name = "batch: read from stdin with errors",
    setup = "$NS add a",
    cmd = { "printf 'netns list\\nnetns delete x\\nnetns list\\n' |" ..
      " $NS -force -batch -", "printf 'netns add b\\n' | $NS -b -",
      "$NS list" },
    sorted = true,
  },
  {
    name = "batch: add lines in a row, a name twice, -force",
    files = { F = adds },
    mounts_by_name = true,
    cmd = { "$NS -batch $F", "ls /run/netns | wc -l", DISTINCT,
      "$NS -force -batch $F", "ls /run/netns | wc -l", DISTINCT },
  },
  {
    name = "batch: delete lines in a row, a missing name, a directory, -force",
    setup = "for i in $(seq 1 90); do echo netns add r$i; done > $T/A;" ..
      " $NS -batch $T/A; mkdir /run/netns/dir",
    files = { F = deletes },
    cmd = { "$NS -batch $F", "ls /run/netns | wc -l", "$NS -force -batch $F",
      "ls /run/netns" },
  },
  {
    -- lines written as the run's first line is are read without being
    -- split; the others of the run must come out the same
    name = "batch: add and delete lines in a row, written in many ways",
    files = {
      A = "netns add p1\nnetns add p2\nnetns add p3 # c\nnetns add\tp4\n" ..
        "netns add p5   \nnetns add 'p6'\nnetns add p7\r\nnet add p8\n" ..
        "  netns add p9\nnetns a p10\nnetns add p\\\n11\n\nnetns add p12\n" ..
        "netns add p2\nnetns add p13\nnetns  add p14\nnetns add p15",
      D = "netns delete p1\nnetns delete nosuch\nnetns delete p2\n" ..
        "netns delete p3\t\nnetns del p4\nnetns delete \"p5\"\n" ..
        "netns delete p6 # c\nnetns delete p7\nnet delete p8\n" ..
        "\tnetns delete p9\nnetns delete p10\nnetns delete p\\\n11\n" ..
        "netns delete p12\nnetns delete p2\nnetns delete p13\n" ..
        "netns delete p14\nnetns delete p15",
    },
    cmd = { "$NS -force -batch $A", "ls /run/netns", "$NS -force -batch $D",
      "ls -A /run/netns" },
  },
  {
    -- the limit of a user namespace of its own: 6 network namespaces,
    -- one of them unshare's, so the kernel refuses line 6, whichever
    -- thread asks first
    name = "batch: add lines in a row, the kernel's limit in the middle",
    files = { F = limited },
    mounts_by_name = true,
    cmd = { 'unshare -U -r -m -n sh -c "echo 6 >' ..
      ' /proc/sys/user/max_net_namespaces && $NS -batch $F;' ..
      ' echo status \\$?; ls /run/netns; $NS -force -batch $F"' },
  },
  {
    -- a delete takes the lock a batch keeps; the add after it must still
    -- make the run directory a shared mount point
    name = "batch: a delete before the first add, the run directory shared",
    setup = "mkdir /run/netns; touch /run/netns/stale",
    files = { F = "netns delete stale\nnetns add a\n" },
    cmd = "$NS -batch $F",
  },
  {
    name = "batch: the object word shortened to net or netn",
    files = { F = "net list\nnetn add x\nnetns list\nnet\nnetn delete x\n" },
    cmd = { "$NS -batch $F", "ls -A /run/netns" },
  },
  {
    -- the first unlink of a name removes a bare file at once, and says
    -- for a missing one why, before anything is unmounted
    name = "batch: delete lines in a row, a stale file and a missing name",
    setup = "$NS add a; $NS add b; touch /run/netns/stale",
    files = {
      F = "netns delete a\nnetns delete stale\nnetns delete gone\n" ..
        "netns delete b\nnetns delete a\n",
    },
    cmd = { "$NS -force -batch $F", "ls -A /run/netns" },
  },
  {
    -- in a user namespace that does not own the caller's network
    -- namespace, add cannot go back: the batch ends there, -force or not
    name = "batch: an add that cannot return to its namespace ends the batch",
    files = { F = "netns add a\nnetns set a 7\nnetns add b\n" },
    cmd = { 'unshare -U -r -m sh -c "$NS -force -batch $F;' ..
      ' echo status \\$?; ls /run/netns"' },
  },
  {
    name = "batch: the batch file is a directory",
    cmd = { "$NS -batch /", "$NS -batch $T" },
  },
}
