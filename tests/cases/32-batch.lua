-- Batch mode beyond what ip -batch has: lines without the netns word,
-- many commands in one process, and a file that exec'd commands do not
-- inherit. The line syntax itself is compared with ip in 14-batch.lua.

local function lines(fmt, n)
  local t = {}
  for i = 1, n do
    t[i] = fmt:format(i)
  end
  return table.concat(t, "\n") .. "\n"
end

return {
  {
    name = "batch: 1000 adds and 1000 deletes, each in one process",
    files = { A = lines("add b%d", 1000), D = lines("netns delete b%d", 1000) },
    cmd = { "$NS -batch $A", "ls /run/netns | wc -l",
      "grep -c ' /run/netns/b[0-9]* .* - nsfs ' /proc/self/mountinfo",
      "$NS -batch $D", "ls /run/netns | wc -l",
      "grep -c ' - nsfs ' /proc/self/mountinfo" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "1000\n", err = "", rc = 0 },
      { out = "1000\n", err = "", rc = 0 },
      { out = "", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 0 },
      { out = "0\n", err = "", rc = 1 },
    },
    timeout = 120,
  },
  {
    -- add lines in a row are made together with every signal held, so
    -- the signal ends the batch between runs: each file left is a mount
    name = "batch: a signal during add lines in a row leaves no name"
      .. " without its namespace",
    files = { A = lines("add s%d", 3000) },
    cmd = { [[
for sig in TERM HUP; do
  "$NS" -batch $A & pid=$!
  i=0; while [ ! -e /run/netns/s200 ] && [ $i -lt 500 ]; do
    i=$((i + 1)); sleep 0.01; done
  kill -$sig $pid; wait $pid 2>/dev/null; echo "$sig: $?"
  n=$(ls /run/netns | wc -l)
  m=$(grep -c ' - nsfs ' /proc/self/mountinfo)
  [ "$n" -ge 200 ] && [ "$n" -lt 3000 ] && [ "$n" = "$m" ] &&
    echo "all mounted"
  "$NS" -all delete
done]] },
    expect = { out = "TERM: 143\nall mounted\nHUP: 129\nall mounted\n",
      err = "", rc = 0 },
    timeout = 120,
  },
  {
    -- from a pipe every line runs by itself; each add, and each delete,
    -- holds every signal between its file and its mount, so a signal
    -- leaves no file without its namespace (ip leaves the one it was at)
    name = "batch: a signal during add and delete lines one by one leaves"
      .. " no name without its namespace",
    files = { A = lines("add s%d", 3000), D = lines("delete s%d", 3000) },
    cmd = { [[
for round in 1 2 3; do
  cat $A | "$NS" -batch - & pid=$!
  i=0; while [ ! -e /run/netns/s200 ] && [ $i -lt 500 ]; do
    i=$((i + 1)); sleep 0.01; done
  kill -TERM $pid; wait $pid 2>/dev/null; a=$?
  n=$(ls /run/netns | wc -l)
  m=$(grep -c ' - nsfs ' /proc/self/mountinfo)
  [ "$n" = "$m" ] && [ "$n" -lt 3000 ] && echo "add $a: all mounted"
  "$NS" -force -batch $A 2>/dev/null
  cat $D | "$NS" -batch - & pid=$!
  i=0; while [ -e /run/netns/s200 ] && [ $i -lt 500 ]; do
    i=$((i + 1)); sleep 0.01; done
  kill -TERM $pid; wait $pid 2>/dev/null; d=$?
  n=$(ls /run/netns | wc -l)
  m=$(grep -c ' - nsfs ' /proc/self/mountinfo)
  [ "$n" = "$m" ] && [ "$n" -gt 0 ] && echo "delete $d: all mounted"
  "$NS" -all delete
done]] },
    expect = { out = string.rep("add 143: all mounted\n" ..
      "delete 143: all mounted\n", 3), err = "", rc = 0 },
    timeout = 240,
  },
  {
    name = "batch: the run directory lock is let go for exec and at the end",
    -- a batch keeps the lock from its first add on; exec lets it go, so
    -- the netns the exec line starts can take it
    files = {
      F = "add k1\nexec k1 sh -c '\"$NS\" add k2'\nadd k3\ndelete k1\n",
    },
    cmd = { "timeout 20 $NS -batch $F", "ls /run/netns",
      "exec 9</run/netns; flock -n 9 && echo free" },
    expect = {
      { out = "", err = "", rc = 0 },
      { out = "k2\nk3\n", err = "", rc = 0 },
      { out = "free\n", err = "", rc = 0 },
    },
    timeout = 30,
  },
  {
    name = "batch: from a pipe, the lock is not kept while the next line"
      .. " is awaited",
    cmd = { [[(echo "add p1"; sleep 3; echo "add p3") | $NS -batch - &
i=0; while [ ! -e /run/netns/p1 ] && [ $i -lt 100 ]; do
  i=$((i + 1)); sleep 0.05; done
timeout 2 $NS add p2; echo "add p2: $?"; wait]], "ls /run/netns" },
    expect = {
      { out = "add p2: 0\n", err = "", rc = 0 },
      { out = "p1\np2\np3\n", err = "", rc = 0 },
    },
    timeout = 30,
  },
  {
    name = "batch: lines with and without the netns word",
    files = { F = "add w1\nnetns add w2\nlist\nnetns\ndelete w1\n" },
    cmd = "$NS -batch $F",
    sorted = true,
    expect = { out = "w1\nw1\nw2\nw2\n", err = "", rc = 0 },
    check = "[ \"$(ls /run/netns)\" = w2 ]",
  },
  {
    name = "batch: exec'd commands do not inherit the batch file",
    setup = "$NS add x",
    files = { F = "exec x sh -c 'ls /proc/$$/fd'\n" },
    cmd = { "sh -c 'ls /proc/$$/fd' < /dev/null",
      "$NS -batch $F < /dev/null" },
    -- the same descriptors as a shell started here, whatever this one has
    check = "[ -s $T/out.2 ] && cmp $T/out.1 $T/out.2",
  },
  {
    name = "batch: from standard input, -force keeps going",
    cmd = [[printf 'add f1\nadd f1\nadd f2\n' | $NS -force -batch -]],
    expect = {
      out = "",
      err = 'Cannot create namespace file "/run/netns/f1": File exists\n' ..
        "Command failed -:2\n",
      rc = 1,
    },
    check = "[ \"$(ls /run/netns | sort | tr '\\n' ' ')\" = 'f1 f2 ' ]",
  },
}
