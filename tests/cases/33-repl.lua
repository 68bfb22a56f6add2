-- The interactive prompt: piped, and in a terminal under tmux with
-- readline's completion and history.

local TMUX = [[
tx() { tmux -S $T/tmux.sock "$@"; }
# the server is a daemon: a case cut short by its timeout must end it too
trap 'tx kill-server 2>/dev/null' EXIT
trap 'exit 143' TERM INT
# the exact command line: the waits here run sleeps of their own
await_cmdline() {
  i=0
  while ! pgrep -f -x "$1" >/dev/null; do
    i=$((i + 1)); [ $i -lt 400 ] || return 1; sleep 0.05
  done
}
screen() { tx capture-pane -p -t r; }
# up to 20 s: under valgrind the prompt answers slowly
await_screen() {
  i=0
  while ! screen | grep -q -- "$1"; do
    i=$((i + 1)); [ $i -lt 400 ] || { screen; return 1; }; sleep 0.05
  done
}
]]

return {
  {
    name = "repl: values, multi-line input, commands, errors carry on",
    setup = "$NS add red",
    files = { F = table.concat({
      "1 + 1", "x = 20", "function f(a)", "  return a + x", "end", "f(22)",
      "list", "add blue", "exec blue ip netns identify",
      "exec blue sh -c 'exit 7'",
      "#netns.list()", "error('oops')", "add bad/name", "nosuch()",
      "local t = {", "1, 2 }", "delete blue", "'still here'",
    }, "\n") .. "\n" },
    cmd = "$NS -i < $F",
    sorted = false,
    expect = {
      out = "2\n42\nred\nblue\n2\nstill here\n",
      rc = 0,
    },
    check = [[grep -q '^stdin:1: oops$' $T/err.1 &&
      grep -q '^Invalid netns name "bad/name"$' $T/err.1 &&
      grep -q '^(status 255)$' $T/err.1 &&
      grep -q '^(status 7)$' $T/err.1 &&
      grep -q "attempt to call a nil value (global 'nosuch')" $T/err.1 &&
      [ "$(ls /run/netns)" = red ] ]],
  },
  {
    -- as in a batch file, a command may follow the word netns; "=" stands
    -- for "return" as in the stock lua; names complete inside a Lua string
    -- opened within a word, as in f("bl, but not in a comment
    name = "repl: netns before a command, = for return, names in Lua strings",
    setup = "$NS add blue; $NS add 'sp ace'",
    files = { F = [==[
=6 * 7
netns add nb
netns list
netns delete nb
netns add "x
c = require("netns.repl").complete
function show(w, l) print(l, table.concat(c(w, l, #l - #w + 1), ",")) end
show("bl", [[netns.run("bl]])
show("", [[netns.delete("]])
show("sp", [[print('sp]])
show("bl", [[-- "bl]])
show("bl", [[x = "a\"b" .. "bl]])
show("bl", [=[--[[ x ]] f("bl]=])
show("a", [[netns a]])
]==] },
    cmd = "$NS -i < $F",
    expect = {
      out = "42\nnb\nsp ace\nblue\n" ..
        'netns.run("bl\tblue\nnetns.delete("\tblue,sp ace\n' ..
        "print('sp\tsp ace\n-- \"bl\t\n" ..
        'x = "a\\"b" .. "bl\tblue\n--[[ x ]] f("bl\tblue\n' ..
        "netns a\tadd,attach\n",
      err = "Unterminated quoted string\n",
      rc = 0,
    },
  },
  {
    -- a quote after a command name makes a command, not Lua's call of a
    -- global that does not exist; completion quotes such names
    name = "repl: quoted names in commands, and completed with quotes",
    setup = "$NS add 'sp ace'; $NS add spot; $NS add \"sp'q\"",
    files = {
      F = table.concat({
        'for _, c in ipairs(require("netns.repl").complete("sp", ' ..
          '"exec sp", 6)) do print(c) end',
        -- inside a quote: as they are, but for one holding that quote
        'for _, c in ipairs(require("netns.repl").complete("sp", ' ..
          '"exec \'sp", 7)) do print("in", c) end',
        'exec "sp ace" ip netns identify', "delete 'sp ace'", "list",
        'add "x y"', "list", 'delete "x y"', "delete = 3", "delete",
      }, "\n") .. "\n",
    },
    cmd = "$NS -i < $F",
    expect = {
      out = '"sp ace"\n"sp\'q"\nspot\nin\tsp ace\nin\tspot\n' ..
        "sp ace\nsp'q\nspot\nx y\nsp'q\nspot\n3\n",
      rc = 0,
    },
  },
  {
    name = "repl: in a terminal, completion, history and a prompt",
    setup = "$NS add red; $NS add green",
    cmd = TMUX .. [[
HOME=$T tx new-session -d -s r -x 100 -y 30 "$NS -i"
await_screen '^netns>' &&
tx send-keys -t r 'netns.li' Tab &&
await_screen 'netns> netns.list' &&
tx send-keys -t r '()[1] ~= nil' Enter &&
await_screen '^true' &&
tx send-keys -t r 'exec re' Tab &&
await_screen 'netns> exec red$' &&
tx send-keys -t r 'ip netns identify' Enter &&
await_screen '^red$' &&
tx send-keys -t r 'function g()' Enter &&
await_screen '^>>' &&
tx send-keys -t r 'return 6 * 7 end' Enter 'g()' Enter &&
await_screen '^42$' &&
tx send-keys -t r 'h = netns.open("red")' Enter 'h:r' Tab &&
await_screen 'netns> h:run' &&
tx send-keys -t r '(function() return "in " .. netns.identify()[1] end)' \
  Enter &&
await_screen '^in red$' &&
tx send-keys -t r 'exec red sleep 29.25' Enter &&
await_cmdline 'sleep 29.25' &&
tx send-keys -t r C-c &&
await_screen '(status 130)$' &&
tx send-keys -t r '"still" .. " here"' Enter &&
await_screen '^still here$' &&
tx send-keys -t r C-d &&
i=0; while tx has-session -t r 2>/dev/null && [ $i -lt 100 ]; do
  i=$((i + 1)); sleep 0.05; done
tx kill-server 2>/dev/null
grep -qx 'return 6 \* 7 end' $T/.netns_history &&
  grep -qx 'exec red ip netns identify' $T/.netns_history && echo done]],
    expect = { out = "done\n", rc = 0 },
    timeout = 120,
  },
  {
    -- in a user namespace that does not own the caller's network
    -- namespace, add cannot go back: the prompt ends, as a batch does
    name = "repl: an add that cannot return to its namespace ends the prompt",
    files = { F = "add a\nidentify\nadd b\n" },
    cmd = 'unshare -U -r -m sh -c "$NS -i < $F; echo status \\$?;' ..
      ' ls /run/netns"',
    expect = { out = "status 1\na\n",
      err = "setns: Operation not permitted\n", rc = 0 },
  },
  {
    -- os.exit ends netns without closing anything: each entry is saved
    name = "repl: the history is saved when the prompt ends with os.exit",
    cmd = TMUX .. [[
HOME=$T tx new-session -d -s r -x 100 -y 30 "$NS -i"
await_screen '^netns>' &&
tx send-keys -t r '40 + 2' Enter &&
await_screen '^42$' &&
tx send-keys -t r 'os.exit(0)' Enter &&
i=0; while tx has-session -t r 2>/dev/null && [ $i -lt 100 ]; do
  i=$((i + 1)); sleep 0.05; done
tx kill-server 2>/dev/null
grep -qx '40 + 2' $T/.netns_history && echo done]],
    expect = { out = "done\n", rc = 0 },
    timeout = 60,
  },
  {
    -- monitor at the prompt runs in a copy of the prompt's process, so
    -- that Ctrl-C ends it and the prompt carries on; the binary may have
    -- been removed (a rebuild) since the prompt started
    name = "repl: monitor runs until Ctrl-C, and the prompt stays",
    cmd = TMUX .. [[
cp "$NS" $T/nb &&
HOME=$T tx new-session -d -s r -x 100 -y 30 "$T/nb -i"
await_screen '^netns>' && rm $T/nb &&
P=$(tx display -p -t r '#{pane_pid}') &&
tx send-keys -t r 'monitor' Enter &&
i=0; while ! C=$(pgrep -P $P); do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
await_inotify $C && $NS add mon1 &&
await_screen '^add mon1$' &&
tx send-keys -t r C-c &&
await_screen '(status 130)$' &&
await_screen '^netns>$' &&
tx send-keys -t r 'list' Enter &&
await_screen '^mon1$' &&
tx send-keys -t r 'monitor nsid' Enter &&
i=0; while ! C=$(pgrep -P $P); do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
await_inotify $C &&
i=0; while [ "$(ls -l /proc/$C/fd | grep -c 'socket:')" -lt 2 ]; do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
$NS set mon1 5 &&
await_screen '^nsid 5 (iproute2 netns name: mon1)$' &&
tx send-keys -t r C-c &&
await_screen '^netns>$' &&
tx send-keys -t r '"still" .. " here"' Enter &&
await_screen '^still here$' && ok=1
tx send-keys -t r C-d
i=0; while tx has-session -t r 2>/dev/null && [ $i -lt 100 ]; do
  i=$((i + 1)); sleep 0.05; done
tx kill-server 2>/dev/null
# gone, or a zombie of the tmux server's
[ "$ok" = 1 ] && ! ps -o stat= -p $P | grep -qv Z && echo done]],
    expect = { out = "done\n", rc = 0 },
    timeout = 60,
  },
  {
    -- as in the stock lua, Ctrl-C stops the Lua code and the prompt stays;
    -- netns's own functions are never cut in the middle, so no name is
    -- half made and the run directory's lock is not left taken (with the
    -- collector stopped, nothing would close a descriptor left open); a
    -- loop of netns.exec stops too, though the Ctrl-C ends its command
    name = "repl: Ctrl-C stops Lua code, not netns, and cuts no netns call",
    cmd = TMUX .. [[
$NS add after &&
HOME=$T tx new-session -d -s r -x 100 -y 50 "$NS -i"
await_screen '^netns>' &&
tx send-keys -t r 'print("spin") while true do end' Enter &&
await_screen '^spin$' &&
tx send-keys -t r C-c &&
await_screen 'stdin:1: in main chunk$' &&
tx send-keys -t r '6 * 7' Enter &&
await_screen '^42$' &&
tx send-keys -t r 'print("execs") while true do' \
  ' netns.exec("after", {"sleep", "0.2"}) end' Enter &&
await_screen '^execs$' && sleep 0.3 &&
tx send-keys -t r C-c &&
i=0; while [ "$(screen | grep -c 'interrupted!$')" -lt 2 ]; do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
tx send-keys -t r 'print("spun") while true do end' Enter &&
await_screen '^spun$' &&
tx send-keys -t r C-c &&
i=0; while [ "$(screen | grep -c 'interrupted!$')" -lt 3 ]; do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
tx send-keys -t r 'collectgarbage("stop") print("churn") while true do' \
  ' assert(netns.add("cc")); assert(netns.delete("cc")) end' Enter &&
await_screen '^churn$' && sleep 0.2 &&
tx send-keys -t r C-c &&
i=0; while [ "$(screen | grep -c 'interrupted!$')" -lt 4 ]; do
  i=$((i + 1)); [ $i -lt 400 ] || break; sleep 0.05; done &&
tx send-keys -t r 'add later' Enter &&
tx send-keys -t r '"added " .. #netns.identify() .. " " .. #netns.list()' \
  Enter &&
await_screen '^added 0 ' && ok=1
tx send-keys -t r C-d
i=0; while tx has-session -t r 2>/dev/null && [ $i -lt 100 ]; do
  i=$((i + 1)); sleep 0.05; done
tx kill-server 2>/dev/null
[ "$ok" = 1 ] && [ -e /run/netns/later ] && { [ ! -e /run/netns/cc ] ||
  stat -L -f -c %T /run/netns/cc | grep -qx nsfs; } && echo done]],
    expect = { out = "done\n", rc = 0 },
    timeout = 60,
  },
}
