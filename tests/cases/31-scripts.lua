-- Script files, -e and -l, #! lines, and errors with tracebacks.

return {
  {
    name = "script: arg and ... as the stock lua sets them",
    files = { F = [[
print(arg[0]:match("[^/]*$"), arg[1], arg[2], arg[3], select("#", ...))
print(arg[-1] ~= nil, (...))
]] },
    cmd = "$NS $F one 'two words' ''",
    expect = { out = "F\tone\ttwo words\t\t3\ntrue\tone\n", err = "", rc = 0 },
  },
  {
    name = "script: a #!/usr/bin/env netns script runs by its path",
    files = { F = [[#!/usr/bin/env netns
local netns = require "netns"
assert(netns.add(arg[1]))
print(#assert(netns.list()), netns.VERSION ~= nil)
]] },
    cmd = { 'mkdir -p $T/bin; ln -s "$NS" $T/bin/netns; chmod +x $F; ' ..
      "PATH=$T/bin:$PATH $F shebang", "$IP netns list" },
    expect = {
      { out = "1\ttrue\n", err = "", rc = 0 },
      { out = "shebang\n", err = "", rc = 0 },
    },
  },
  {
    -- no C module is ever loaded, and no empty path is listed for one
    name = "script: a missing module lists the places Lua files are looked for",
    cmd = "$NS -e 'require \"nosuch\"' 2>&1 | sed -n '2,/^stack/p' | " ..
      "sed 's|/.*/nosuch|DIR/nosuch|'",
    expect = {
      out = "\tno field package.preload['nosuch']\n" ..
        "\tno embedded module 'nosuch'\n" ..
        "\tno file 'DIR/nosuch.lua'\n" ..
        "\tno file 'DIR/nosuch/init.lua'\n" ..
        "stack traceback:\n",
      err = "", rc = 0,
    },
  },
  {
    name = "script: a file name ending in .lua, os.exit status",
    cmd = { "cd $T && printf 'os.exit(7)' > s.lua && $NS s.lua",
      "cd $T && printf 'print(1)' > list && $NS list" },
    expect = {
      { out = "", err = "", rc = 7 },
      { out = "", err = "", rc = 0 },
    },
  },
  {
    name = "script: an error prints message and traceback, status 1",
    files = { F = [[
local function inner() error("boom") end
inner()
]] },
    cmd = "$NS $F",
    check = [==[grep -q '^netns: .*F:1: boom$' $T/err.1 &&
      grep -q '^stack traceback:$' $T/err.1 &&
      grep -q "in local 'inner'" $T/err.1 &&
      ! grep -q 'netns/cli.lua' $T/err.1 && [ "$(cat $T/out.1)" = "" ]]==],
    expect = { rc = 1 },
  },
  {
    -- netns.run goes home as the error passes, without catching it, so
    -- the traceback still shows where fn raised
    name = "script: an error inside netns.run keeps its traceback",
    setup = "$NS add a",
    files = { F = [[
local netns = require "netns"
local function inner() error("boom") end
netns.run("a", function() inner() end)
]] },
    cmd = "$NS $F",
    check = [==[grep -q '^netns: .*F:2: boom$' $T/err.1 &&
      grep -q "F:2: in upvalue 'inner'" $T/err.1 &&
      grep -q 'F:3: in main chunk' $T/err.1]==],
    expect = { out = "", rc = 1 },
  },
  {
    name = "script: syntax errors, missing files, error objects",
    cmd = { "printf 'x = = 1' > $T/bad.lua; $NS $T/bad.lua",
      "$NS $T/missing.lua",
      "printf 'error({})' > $T/obj.lua; $NS $T/obj.lua" },
    check = [[grep -q "^netns: .*bad.lua:1: unexpected symbol" $T/err.1 &&
      grep -q "^netns: cannot open .*missing.lua" $T/err.2 &&
      grep -q "^netns: (error object is a table value)" $T/err.3]],
    expect = { { rc = 1 }, { rc = 1 }, { rc = 1 } },
  },
  {
    name = "script: -e and -l as in lua, in order",
    cmd = { [[$NS -e 'x = 6' -e 'print(x * 7)']],
      [[$NS -l netns -e 'print(type(netns.add))']],
      [[$NS -l n=netns -e 'print(n.RUN_DIR)']],
      [[$NS -e 'error("e")']],
      [[$NS -e]] },
    expect = {
      { out = "42\n", err = "", rc = 0 },
      { out = "function\n", err = "", rc = 0 },
      { out = "/run/netns\n", err = "", rc = 0 },
      { out = "", rc = 1 },
      { out = "", err = "netns: '-e' needs argument\n", rc = 1 },
    },
    check = [[grep -q '^netns: (command line):1: e$' $T/err.4]],
  },
  {
    name = "script: a script that raises midway leaves what it made",
    files = { F = [[
local netns = require "netns"
assert(netns.add("s1"))
local ok = pcall(netns.run, "s1", function() error("x") end)
assert(not ok)
assert(netns.delete("s1"))
print(#assert(netns.list()))
]] },
    cmd = "$NS $F",
    expect = { out = "0\n", err = "", rc = 0 },
    check = "[ -z \"$(ls /run/netns)\" ] && ! grep -q ' /run/netns/s1 ' " ..
      "/proc/self/mountinfo",
  },
}
