-- The netns command: global options, batch files and the ip-netns
-- commands, printing what `ip netns` prints with `netns` for its name.
-- A command returns its exit status; one that must end the whole program
-- at once (as iproute2 exits from deep inside) raises an Exit.

-- batch, JSON and scripts are loaded when first used: most commands
-- need none of them, and every start pays for what is loaded.
require "netns.core"
-- _ops, and the C modules it opens, on first use: -V and help need none.
local ops = setmetatable({}, { __index = function(t, k)
  local m = require "netns._ops"
  setmetatable(t, { __index = m })
  return m[k]
end })
local proc = require "netns.core.proc"

local M = {}

local USAGE = [[
Usage:	netns list
	netns add NAME
	netns attach NAME PID
	netns set NAME NETNSID
	netns [-all] delete [NAME]
	netns identify [PID]
	netns pids NAME
	netns [-all] exec [NAME] cmd ...
	netns monitor
	netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
]]

local MAIN_USAGE = [[
Usage: netns [ OPTIONS ] COMMAND [ ARGUMENTS ]
       netns [ -force ] -batch filename
       netns [ -e code ] [ -l module ] script [ ARGUMENTS ]
       netns -i
where  COMMAND := { list | add | attach | delete | set | identify | pids |
                   exec | monitor | list-id | help }
       OPTIONS := { -V[ersion] | -a[ll] | -j[son] | -p[retty] | -h[elp] |
                    -n[etns] name | -fo[rce] | -b[atch] filename }
]]

local Exit = {}

-- An Exit marked stuck ends the prompt too: the process is no longer
-- where the commands expect it.
local function die(code, msg, stuck)
  if msg then
    io.stderr:write(msg, "\n")
  end
  error(setmetatable({ code = code, stuck = stuck }, Exit), 0)
end

local function warn(msg)
  io.stderr:write(msg, "\n")
end

local function out(s)
  io.stdout:write(s)
end

-- The collector is stopped at start (main.c): a single command makes
-- little garbage and ends. What runs long turns it back on.
local function long_running()
  collectgarbage("restart")
end

-- For the commands kept in modules of their own (_monitor, _batchfile).
M.die, M.warn, M.out, M.long_running, M.USAGE = die, warn, out,
  long_running, USAGE

-- strtol(s, NULL, 0) over the whole string, within 32 signed bits.
local function parse_s32(s)
  local sign, body = s:match("^[ \t\n\v\f\r]*([+-]?)(.*)$")
  local digits, base
  if body:find("^0[xX]%x+$") then
    digits, base = body:sub(3), 16
  elseif body:find("^0[0-7]*$") then
    digits, base = body, 8
  elseif body:find("^[1-9]%d*$") then
    digits, base = body, 10
  else
    return nil
  end
  digits = digits:gsub("^0+", "")
  if #digits > 11 then
    return nil
  end
  local v = tonumber(digits ~= "" and digits or "0", base)
  if sign == "-" then
    v = -v
  end
  if v < -2147483648 or v > 2147483647 then
    return nil
  end
  return v
end
M.parse_s32 = parse_s32

-- A NUL cannot be in a file name: such a word would act on the name
-- cut short before it.
local function valid_name(name)
  return name ~= "" and #name <= 255 and not name:find("/", 1, true)
    and not name:find("\0", 1, true) and name ~= "." and name ~= ".."
end
M.valid_name = valid_name

local function socket()
  local sock, msg = ops.socket()
  if not sock then
    die(1, msg)
  end
  return sock
end
M.socket = socket

-- Status 1 and the message for a failure, 0 for success; the errno
-- that ops functions return third is not the status.
local function check(ok, msg)
  if not ok then
    warn(msg)
    return 1
  end
  return 0
end
M.check = check

local function print_json(ctx, items, write_item)
  local w = require("netns._json").writer(ctx.pretty)
  w:start_array()
  for _, item in ipairs(items) do
    w:start_object()
    write_item(w, item)
    w:end_object()
  end
  w:end_array()
  out(w:text() .. "\n")
  -- as iproute2 does at the end of each JSON document: in a batch into a
  -- file, it comes before the errors of later lines
  io.stdout:flush()
end
M.print_json = print_json

-- No run directory, or none that can be read, lists nothing, as in ip.
local function cmd_list(ctx)
  local sock = socket()
  local entries, missing = ops.list(sock)
  sock:close()
  if not entries or missing then
    return 0
  end
  -- iproute2 asks the kernel twice per name (for its id cache, then for
  -- the list), so it reports a refused name twice; so do we, once asked.
  -- Its JSON goes out after the second round of errors.
  for _, e in ipairs(entries) do
    if e.err then
      warn(e.err)
    end
  end
  for _, e in ipairs(entries) do
    if e.err then
      warn(e.err)
    end
    if not ctx.json then
      out(e.id and ("%s (id: %d)\n"):format(e.name, e.id) or e.name .. "\n")
    end
  end
  if ctx.json then
    print_json(ctx, entries, function(w, e)
      w:fields("name", e.name, "id", e.id)
    end)
  end
  return 0
end

local function cmd_help()
  io.stderr:write(USAGE)
  die(255)
end

-- A name with a newline or another control character would print as
-- two names, or as something else: add and attach do not make one
-- (iproute2 does). Those made by other tools still list and delete.
-- Under -all iproute2 checks no name at all, so `-all add ../x` made a
-- namespace outside the run directory: add and attach check theirs.
local function refuse_control(name)
  if not valid_name(name) then
    die(255, ('Invalid netns name "%s"'):format(name))
  end
  if name:find("%c") then
    die(255, ('Invalid netns name "%s": control characters are not allowed')
      :format((name:gsub("%c", function(c)
        return ("\\x%02x"):format(c:byte())
      end))))
  end
end

local function cmd_add(ctx, args)
  if #args < 1 then
    return check(nil, "No netns name specified")
  end
  refuse_control(args[1])
  -- "lo" after the name brings the loopback up (ip ignores the word)
  local ok, msg, _, stuck = ops.add_lo(args[1], args[2] == "lo", warn)
  if stuck then
    -- what follows would run in the new namespace: ip ends there too
    die(1, msg, true)
  end
  return check(ok, msg)
end

local function cmd_attach(ctx, args)
  if #args < 2 then
    return check(nil, "No netns name and PID specified")
  end
  refuse_control(args[1])
  local pid = parse_s32(args[2])
  if not pid or pid == 0 then
    return check(nil, "Invalid PID: " .. args[2])
  end
  return check(ops.attach(args[1], pid, warn))
end

-- At most this many names of -all delete are removed in one call.
local DELETE_RUN = 1024

-- -all delete: every name, in runs removed in one call as a batch's delete
-- lines are (6 system calls a name fewer), until one cannot be removed,
-- which is deleted alone for its message; ip stops there too.
local function delete_all()
  local names, msg = ops.names()
  if not names then
    return check(nil, msg)
  end
  local from = 1
  while from <= #names do
    local last = math.min(#names, from + DELETE_RUN - 1)
    from = from + ops.delete_many(table.move(names, from, last, 1, {}))
    if from <= last then
      local ok, dmsg = ops.delete(names[from])
      if not ok then
        return check(nil, dmsg)
      end
      from = from + 1
    end
  end
  return 0
end

local function cmd_delete(ctx, args)
  if ctx.all then
    return delete_all()
  end
  if #args < 1 then
    return check(nil, "No netns name specified")
  end
  return check(ops.delete(args[1]))
end

local function cmd_set(ctx, args)
  if #args < 1 then
    return check(nil, "No netns name specified")
  end
  if #args < 2 then
    return check(nil, "No nsid specified")
  end
  local id
  if args[2] == "auto" then
    id = -1
  else
    id = parse_s32(args[2])
    if not id then
      die(255, ('Error: argument "%s" is wrong: Invalid "netnsid" value')
        :format(args[2]))
    end
    if id < 0 then
      die(255, ('Error: argument "%s" is wrong: "netnsid" value should be'
        .. ' >= 0'):format(args[2]))
    end
  end
  local fd, msg = ops.open(args[1])
  if not fd then
    return check(nil, msg)
  end
  fd:close()
  local sock = socket()
  local ok, smsg = ops.set_id(sock, args[1], id)
  sock:close()
  if not ok then
    warn(smsg)
    return 2
  end
  return 0
end

local function cmd_identify(ctx, args)
  if #args > 1 then
    return check(nil, "extra arguments specified")
  end
  local pid = args[1] or "self"
  if args[1] and not args[1]:find("^%d*$") then
    return check(nil, ("Specified string '%s' is not a pid"):format(args[1]))
  end
  local names, msg = ops.identify(pid)
  if not names then
    return check(nil, msg)
  end
  if ctx.json then
    print_json(ctx, names, function(w, name)
      w:fields("name", name)
    end)
    return 0
  end
  out((names[#names] or "") .. "\n")
  return 0
end

local function cmd_pids(ctx, args)
  if #args < 1 then
    return check(nil, "No netns name specified")
  end
  if #args > 1 then
    return check(nil, "extra arguments specified")
  end
  local pids, msg = ops.pids(args[1])
  if not pids then
    return check(nil, msg)
  end
  if ctx.json then
    print_json(ctx, pids, function(w, pid)
      w:fields("pid", pid)
    end)
    return 0
  end
  for _, pid in ipairs(pids) do
    out(pid .. "\n")
  end
  return 0
end

-- A child of ours that ended; a signal ends netns too, as in iproute2.
local function child_status(how, code)
  if how == "signaled" then
    die(1)
  end
  return code
end

-- With -json, no headers: after each namespace's run, one object on a
-- line of its own says how the command ended there.
local function exec_record(ctx, name, how, code)
  local w = require("netns._json").writer(ctx.pretty)
  w:start_object()
  w:fields("name", name, "status", how == "exited" and code or nil,
    "signal", how == "signaled" and code or nil)
  w:end_object()
  out(w:text() .. "\n")
end

local function exec_all(ctx, argv)
  long_running()
  local names, msg = ops.names()
  if not names then
    return check(nil, msg)
  end
  local status = 0
  for _, name in ipairs(names) do
    if not ctx.json then
      out("\nnetns: " .. name .. "\n")
    end
    local how, code = ops.spawn(name, argv)
    if not how then
      return check(nil, code)
    end
    if ctx.json then
      exec_record(ctx, name, how, code)
    end
    if child_status(how, code) ~= 0 then
      status = 1
    end
  end
  return status
end

local function cmd_exec(ctx, args)
  if not ctx.all and #args < 1 then
    return check(nil, "No netns name specified")
  end
  local name = not ctx.all and table.remove(args, 1)
  if #args < 1 then
    return check(nil, "No command specified")
  end
  if ctx.all then
    return exec_all(ctx, args)
  end
  if ctx.batch then
    local how, code = ops.spawn(name, args)
    if not how then
      return check(nil, code)
    end
    -- the prompt shows the command's own status, 128 + N for signal N,
    -- as a shell does; a batch only needs to know that it failed
    if ctx.prompt then
      return how == "signaled" and 128 + code or code
    end
    return child_status(how, code) == 0 and 0 or 1
  end
  -- as ip does, no fork: this process becomes the command; failing, it
  -- has said why
  die(proc.exec_in(name, args))
end

-- monitor and list-id, the commands that name nsids, are loaded when
-- one of them runs: the others need none of their code.
local function cmd_monitor(ctx, args)
  return require("netns._monitor").monitor(ctx, args)
end

local function cmd_list_id(ctx, args)
  return require("netns._monitor").list_id(ctx, args)
end

-- In the order iproute2 tries them: the first keyword a word is a prefix
-- of wins, so "s" is show and "a" is add.
local COMMANDS = {
  { "list", cmd_list }, { "show", cmd_list }, { "lst", cmd_list },
  { "list-id", cmd_list_id }, { "help", cmd_help }, { "add", cmd_add },
  { "set", cmd_set }, { "delete", cmd_delete }, { "identify", cmd_identify },
  { "pids", cmd_pids }, { "exec", cmd_exec }, { "monitor", cmd_monitor },
  { "attach", cmd_attach },
}

local function is_prefix(word, keyword)
  return word ~= "" and keyword:sub(1, #word) == word
end

-- The command each word names, kept: a batch names the same one line
-- after line. Only prefixes of the command names are kept, so this stays
-- small.
local named = {}

-- The function of the command word names, and that command's name.
local function command_named(word)
  local c = named[word]
  if not c then
    for _, command in ipairs(COMMANDS) do
      if is_prefix(word, command[1]) then
        c = command
        named[word] = c
        break
      end
    end
  end
  if c then
    return c[2], c[1]
  end
end
M.command_named = command_named

-- Run one command line (without options); returns its exit status.
function M.dispatch(ctx, args)
  if #args == 0 then
    return cmd_list(ctx)
  end
  if not ctx.all and #args > 1 and not valid_name(args[2]) then
    die(255, ('Invalid netns name "%s"'):format(args[2]))
  end
  local fn = command_named(args[1])
  if fn then
    return fn(ctx, { table.unpack(args, 2) })
  end
  die(255, ('Command "%s" is unknown, try "netns help".'):format(args[1]))
end

-- A command's exit status, as a prompt line shows it: a die is a status,
-- but one that leaves the process stuck in another namespace ends it.
local function status_of(ctx, words)
  local ok, res = pcall(M.dispatch, ctx, words)
  io.stdout:flush()
  if ok then
    return res
  end
  if getmetatable(res) == Exit then
    if res.stuck then
      os.exit(res.code)
    end
    return res.code
  end
  error(res, 0)
end

-- monitor at the prompt runs until Ctrl-C: in a copy of this process,
-- waited for as exec's command is, so that the Ctrl-C ends the monitor
-- and not the prompt. Its status is shown as exec's.
local function monitor_apart(ctx, words)
  local how, code = ops.apart(function()
    return status_of(ctx, words)
  end)
  if not how then
    warn(code)
    return 1
  end
  return how == "signaled" and 128 + code or code
end

-- One command for the REPL: like a batch line (exec forks, the REPL
-- stays), with its exit status returned instead of ending the process.
-- The prompt hands over lines that start with a command name only, so
-- there is no object word to take off.
function M.run_command(words)
  local ctx = { batch = true, prompt = true }
  if #words > 0 and select(2, command_named(words[1])) == "monitor" then
    return monitor_apart(ctx, words)
  end
  return status_of(ctx, words)
end

local function usage()
  io.stderr:write(MAIN_USAGE)
  die(255)
end

local FAMILIES = { inet = true, inet6 = true, link = true, bridge = true,
  mpls = true }

local function opt_family(v)
  if not FAMILIES[v] then
    die(255, ('Error: argument "%s" is wrong: invalid protocol family')
      :format(v))
  end
end

local function opt_rcvbuf(v)
  if not v:find("^%d+$") then
    die(255, ("Invalid rcvbuf size '%s'"):format(v))
  end
end

local function opt_version()
  out(("netns utility, version %s, %s\n"):format(
    require("netns.core.ns").VERSION, _VERSION))
  die(0)
end

local function opt_netns(_, v)
  local ok, msg = ops.switch_net(v or "(null)")
  if not ok then
    die(255, msg)
  end
end

-- iproute2's global options, in its order of matching, so that each
-- prefix means here what it means there; those with no bearing on
-- namespaces are accepted and do nothing, as in ip netns. "-h" is help.
local OPTIONS = {
  { "-loops", arg = true }, { "-family", arg = true, check = opt_family },
  { "-4", exact = true }, { "-6", exact = true }, { "-0", exact = true },
  { "-M", exact = true }, { "-B", exact = true }, { "-help", run = usage },
  { "-human" }, { "-iec" }, { "-stats" }, { "-details" }, { "-resolve" },
  { "-oneline" }, { "-timestamp" }, { "-tshort" },
  { "-Version", run = opt_version }, { "-force", flag = "force" },
  { "-batch", arg = true, flag = "batch_file" }, { "-brief" },
  { "-json", flag = "json" }, { "-pretty", flag = "pretty" },
  { "-rcvbuf", arg = true, check = opt_rcvbuf }, { "-color" },
  { "-netns", arg = true, optional = true, run = opt_netns },
  { "-Numeric" }, { "-all", flag = "all" },
}

local function find_option(word)
  local opt = word:sub(1, 2) == "--" and word:sub(2) or word
  local base, value = opt:match("^(-c[a-z]*)=(.*)$")
  if base and is_prefix(base, "-color") then
    if value == "always" or value == "auto" or value == "never" then
      return { "-color" }
    end
    return nil
  end
  -- the GNU spelling, which packaging scripts expect; ip has none
  if opt == "-version" then
    opt = "-Version"
  end
  for _, o in ipairs(OPTIONS) do
    if o.exact and opt == o[1] or not o.exact and is_prefix(opt, o[1]) then
      return o
    end
  end
end

-- The words the stock lua interpreter gives meaning to; they take the
-- place of ip's -l (-loops) and -i (-iec), which do nothing for netns.
local LUA_OPTIONS = { ["-e"] = true, ["-l"] = true, ["-i"] = false }

-- Options are applied as they are read, as iproute2 does: `-n` enters
-- the namespace before anything after it is looked at.
local function parse_options(ctx, argv)
  local i = 1
  while argv[i] and argv[i]:sub(1, 1) == "-" do
    local word = argv[i]
    if word == "--" then
      return i + 1
    end
    if LUA_OPTIONS[word] ~= nil then
      local value = argv[i + 1]
      if LUA_OPTIONS[word] then
        if not value then
          die(1, ("netns: '%s' needs argument"):format(word))
        end
        i = i + 1
      end
      ctx.lua[#ctx.lua + 1] = { word, value }
      goto continue
    end
    do
      local o = find_option(word)
      if not o then
        die(255, ('Option "%s" is unknown, try "netns -help".')
          :format(word:sub(1, 2) == "--" and word:sub(2) or word))
      end
      local value
      if o.arg then
        i = i + 1
        value = argv[i]
        if value == nil and not o.optional then
          usage()
        end
      end
      if o.check then
        o.check(value)
      end
      if o.flag then
        ctx[o.flag] = value or true
      end
      if o.run then
        o.run(ctx, value)
      end
    end
    ::continue::
    i = i + 1
  end
  return i
end

-- A command word never holds a "/" nor ends in ".lua"; a script's path,
-- also the one a #! line hands over, does one or the other.
local function is_script(word)
  return word ~= nil and (word:find("/", 1, true) ~= nil
    or word:sub(-4) == ".lua")
end
M.is_script = is_script

local function main(argv)
  local ctx = { lua = {} }
  local first = parse_options(ctx, argv)
  if ctx.batch_file then
    return require("netns._batchfile").run(ctx, ctx.batch_file)
  end
  local interactive = false
  if #ctx.lua > 0 or is_script(argv[first]) then
    long_running()
  end
  for _, action in ipairs(ctx.lua) do
    if action[1] == "-i" then
      interactive = true
    else
      local ok, code = require("netns.script").option(action[1],
        action[2])
      if not ok then
        return code
      end
    end
  end
  if is_script(argv[first]) then
    return require("netns.script").run(argv, first)
  end
  if interactive then
    return require("netns.repl").run(M)
  end
  if #ctx.lua > 0 then
    return 0
  end
  return M.dispatch(ctx, { table.unpack(argv, first) })
end

-- Entry point from C: argv[0] is the program, argv[1..] its arguments.
function M.main(argv)
  local ok, res = xpcall(main, function(e)
    if getmetatable(e) == Exit then
      return e
    end
    return debug.traceback(tostring(e), 2)
  end, argv)
  io.stdout:flush()
  if ok then
    return res
  end
  if getmetatable(res) == Exit then
    return res.code
  end
  io.stderr:write("netns: internal error: ", res, "\n")
  return 1
end

return M
