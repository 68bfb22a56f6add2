-- Lua scripts run by netns: `netns FILE ARGS...`, `-e CODE`, `-l MODULE`,
-- with `arg` and `...` set as the stock lua interpreter sets them. An
-- error prints its message and a traceback on stderr, and the status is 1.

local M = {}

local function report(msg)
  io.stderr:write("netns: ", msg, "\n")
  io.stderr:flush()
  return false, 1
end

local function handler(e)
  if type(e) ~= "string" then
    local mt = getmetatable(e)
    if mt and mt.__tostring then
      e = tostring(e)
    else
      e = ("(error object is a %s value)"):format(type(e))
    end
  end
  -- Our own frames below the script's are of no use to its author.
  local tb = debug.traceback(e, 2)
  local cut = tb:find("\n\t%[C%]: in function 'xpcall'")
  return cut and tb:sub(1, cut - 1) or tb
end

local function call(fn, ...)
  local res = table.pack(xpcall(fn, handler, ...))
  if not res[1] then
    return report(res[2])
  end
  return true, table.unpack(res, 2, res.n)
end

-- -e CODE runs CODE; -l MOD sets the global MOD to require(MOD), and
-- -l G=MOD sets G. Returns true, or false and the exit status.
function M.option(opt, value)
  if opt == "-e" then
    local fn, msg = load(value, "=(command line)")
    if not fn then
      return report(msg)
    end
    return call(fn)
  end
  local global, mod = value:match("^([^=]+)=(.+)$")
  global, mod = global or value, mod or value
  local ok, res = call(require, mod)
  if not ok then
    return false, res
  end
  _G[global] = res
  return true
end

-- argv[first] is the script; the words before it get negative indices
-- in arg, the ones after it positive, as lua(1) does.
function M.run(argv, first)
  local path = argv[first]
  local arg = {}
  for i = 0, #argv do
    arg[i - first] = argv[i]
  end
  _G.arg = arg
  local fn, msg = loadfile(path)
  if not fn then
    return select(2, report(msg))
  end
  local ok, code = call(fn, table.unpack(argv, first + 1))
  if not ok then
    return code
  end
  return 0
end

return M
